package dev.selectftp.server.files;

import dev.selectftp.server.storage.HomeLayout;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes to a home's names, each relative to folder descriptors reached through {@link Confinement}:
 * mkdir (via {@link Staging}), delete ({@code unlinkat}), rename ({@code renameat}). Arguments are
 * normalized virtual paths that {@link Home} has already checked lexically.
 */
final class Changes {
  /** Entries looked at when explaining why a folder that looks empty cannot be deleted. */
  private static final int MAX_PARTIAL_PROBE = 100;
  private static final Logger log = LoggerFactory.getLogger(Changes.class);

  private final Confinement confinement;
  private final Staging staging;

  Changes(Confinement confinement, Staging staging) {
    this.confinement = confinement;
    this.staging = staging;
  }

  /** See {@link Home#makeDir}. */
  void makeDir(String v) throws Refused {
    try (Located at = confinement.locate(confinement.namesOf(v))) {
      if (at == null) throw Channels.missingParent(v);
      BasicFileAttributes a = at.lstat();
      if (a != null) {
        NameChecks.refuseLinkOrSpecial(a, v);
        throw new Refused(Refusal.EXISTS, v + " already exists");
      }
      staging.makeDir(at);
    } catch (NoSuchFileException e) {
      throw Channels.missingParent(v);
    } catch (AtomicMoveNotSupportedException e) {
      log.error("cannot create folders in {}: it is on another file system than {}", confinement.root(),
          HomeLayout.STAGING_DIR, e);
      throw IoErrors.map(e, "create", v);
    } catch (IOException e) {
      throw IoErrors.map(e, "create", v);
    }
  }

  /** See {@link Home#delete}. */
  long delete(String v) throws Refused {
    try (Located at = confinement.locate(confinement.namesOf(v))) {
      BasicFileAttributes a = at == null ? null : at.lstat();
      if (a == null) throw new Refused(Refusal.NOT_FOUND, v + ": no such file or folder");
      NameChecks.refuseLinkOrSpecial(a, v);
      if (a.isDirectory()) {
        deleteFolder(at);
        return 0;
      }
      at.dir().deleteFile(at.name()); // unlinkat(2): removes this name in this folder, never a link's target
      return a.size();
    } catch (IOException e) {
      throw IoErrors.map(e, "delete", v);
    }
  }

  private static void deleteFolder(Located at) throws IOException, Refused {
    try {
      at.dir().deleteDirectory(at.name());
    } catch (DirectoryNotEmptyException e) {
      String hint = holdsOnlyPartials(at)
          ? " (it holds unfinished uploads, which are removed after they expire)" : "";
      throw new Refused(Refusal.NOT_EMPTY, at.virtualPath() + " is not empty" + hint, e);
    }
  }

  /** True when the folder's first entries (up to a small probe) are all partials; read by descriptor. */
  private static boolean holdsOnlyPartials(Located at) {
    int seen = 0;
    try (DirectoryStream<Path> ds = at.dir().newDirectoryStream(at.name(), LinkOption.NOFOLLOW_LINKS)) {
      for (Path p : ds) {
        if (!Partials.isPartial(p) || ++seen > MAX_PARTIAL_PROBE) return false;
      }
      return seen > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** See {@link Home#rename}. */
  void rename(String vFrom, String vTo) throws Refused {
    List<String> toNames = confinement.namesOf(vTo);
    try (Located source = confinement.locate(confinement.namesOf(vFrom))) {
      BasicFileAttributes a = source == null ? null : source.lstat();
      if (a == null) throw new Refused(Refusal.NOT_FOUND, vFrom + ": no such file or folder");
      NameChecks.refuseLinkOrSpecial(a, vFrom);
      try (Located target = confinement.locate(toNames)) {
        if (target == null) throw Channels.missingParent(vTo);
        BasicFileAttributes t = target.lstat();
        if (t != null) {
          NameChecks.refuseLinkOrSpecial(t, vTo);
          throw new Refused(Refusal.EXISTS, vTo + " already exists");
        }
        source.dir().move(source.name(), target.dir(), target.name());
      }
    } catch (NoSuchFileException e) {
      throw new Refused(Refusal.NOT_FOUND, vFrom + " or the folder that would contain " + vTo
          + " is gone", e);
    } catch (IOException e) {
      throw IoErrors.map(e, "rename", vFrom);
    }
  }

  /** See {@link Home#deletePartial}. */
  long deletePartial(Path partial) throws Refused {
    List<String> names = confinement.namesOf(partial);
    try (Located at = confinement.locate(names)) {
      BasicFileAttributes a = at == null ? null : at.lstat();
      if (a == null) return 0;
      NameChecks.refuseLinkOrSpecial(a, at.virtualPath());
      at.dir().deleteFile(at.name());
      return a.size();
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw IoErrors.map(e, "delete the partial of", Confinement.virtualOf(names, names.size()));
    }
  }
}
