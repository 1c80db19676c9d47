package dev.selectftp.server.files;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.common.LogText;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening and publishing files by descriptor ({@code openat}/{@code renameat} relative to a folder reached
 * through {@link Confinement}, never following a link); see {@link Home}.
 *
 * <p>What was opened is inside the home by construction: the kernel resolved one plain name relative to a
 * folder descriptor that was itself reached from the root without following links. So nothing is
 * re-checked by path afterwards (that re-check was the race).
 */
final class Channels {
  private static final Logger log = LoggerFactory.getLogger(Channels.class);
  private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  /** READ too: a resumed upload hashes the bytes its partial already holds through this channel. */
  private static final Set<OpenOption> WRITE = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
      StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  private final Confinement confinement;

  Channels(Confinement confinement) {
    this.confinement = confinement;
  }

  FileChannel openRead(Path real) throws Refused {
    List<String> names = confinement.namesOf(real);
    String v = Confinement.virtualOf(names, names.size());
    if (names.isEmpty()) throw new Refused(Refusal.IS_A_DIRECTORY, v + " is a folder");
    try (Located at = confinement.locate(names)) {
      if (at == null) throw new Refused(Refusal.NOT_FOUND, v + ": no such file");
      BasicFileAttributes a = at.lstat(); // refuses links and FIFOs before open() could block on one
      if (a == null) throw new Refused(Refusal.NOT_FOUND, v + ": no such file");
      if (a.isDirectory()) throw new Refused(Refusal.IS_A_DIRECTORY, v + " is a folder");
      NameChecks.refuseLinkOrSpecial(a, v);
      return open(at, READ);
    }
  }

  FileChannel openWrite(Path real, boolean truncate) throws Refused {
    List<String> names = confinement.namesOf(real);
    String v = Confinement.virtualOf(names, names.size());
    if (names.isEmpty()) throw new Refused(Refusal.IS_A_DIRECTORY, v + " is a folder");
    try (Located at = confinement.locate(names)) {
      if (at == null) throw missingParent(v);
      BasicFileAttributes a = at.lstat();
      if (a != null && a.isDirectory()) throw new Refused(Refusal.IS_A_DIRECTORY, v + " is a folder");
      if (a != null) NameChecks.refuseLinkOrSpecial(a, v);
      FileChannel ch = open(at, WRITE);
      if (truncate) {
        try {
          ch.truncate(0);
        } catch (IOException e) {
          closeQuietly(ch);
          throw IoErrors.map(e, "truncate", v);
        }
      }
      return ch;
    }
  }

  void publish(Path partial, Path real) throws Refused {
    if (!Partials.isPartial(partial) || !partial.getParent().equals(real.getParent())) {
      throw new IllegalArgumentException("not a partial of the same folder");
    }
    List<String> names = confinement.namesOf(real);
    String v = Confinement.virtualOf(names, names.size());
    if (names.isEmpty()) throw new IllegalArgumentException("the root is no file");
    try (Located at = confinement.locate(names)) {
      if (at == null) throw missingParent(v);
      BasicFileAttributes target = at.lstat();
      if (target != null && target.isDirectory()) {
        throw new Refused(Refusal.IS_A_DIRECTORY, v + " is a folder");
      }
      if (target != null) NameChecks.refuseLinkOrSpecial(target, v);
      Path partialName = at.sibling(partial.getFileName().toString());
      BasicFileAttributes p = NameChecks.lstat(at.dir(), partialName, v);
      if (p == null || p.isDirectory()) {
        throw new Refused(Refusal.NOT_FOUND, "the partial upload of " + v + " is gone");
      }
      NameChecks.refuseLinkOrSpecial(p, v);
      try {
        at.dir().move(partialName, at.dir(), at.name()); // renameat(2): replaces a file atomically
      } catch (IOException e) {
        throw IoErrors.map(e, "store", v);
      }
      syncFolder(at);
    }
  }

  /** fsync of the folder through its own descriptor ({@code openat(dir, ".")}): makes the rename durable. */
  static void syncFolder(Located at) {
    try (SeekableByteChannel self = at.dir().newByteChannel(at.name().getFileSystem().getPath("."), READ)) {
      ((FileChannel) self).force(true);
    } catch (IOException | ClassCastException e) {
      log.debug("cannot sync the folder of {} (not supported here?)", LogText.of(at.virtualPath()), e);
    }
  }

  /**
   * {@code openat(dir, name, O_NOFOLLOW | ...)}. On Linux the SDS hands back a {@link FileChannel}; anything
   * else would be a platform this server does not run on. A channel that cannot seek is a FIFO swapped in
   * after the stat: refused, since reading or writing it would block the thread.
   */
  private static FileChannel open(Located at, Set<OpenOption> options) throws Refused {
    SeekableByteChannel sbc;
    try {
      sbc = at.dir().newByteChannel(at.name(), options);
    } catch (NoSuchFileException e) {
      throw new Refused(Refusal.NOT_FOUND, at.virtualPath() + ": no such file", e);
    } catch (IOException e) {
      throw NameChecks.swappedOrFailed(at.virtualPath(), "open", e);
    }
    if (!(sbc instanceof FileChannel ch)) {
      closeQuietly(sbc);
      throw new UnsupportedOperationException("SecureDirectoryStream.newByteChannel gave no FileChannel");
    }
    try {
      ch.position(); // lseek(2): ESPIPE on a pipe
      return ch;
    } catch (IOException e) {
      closeQuietly(ch);
      log.warn("{} turned into a special file while being opened; refused", LogText.of(at.virtualPath()));
      throw new Refused(Refusal.FORBIDDEN, at.virtualPath() + " is a special file and is not served");
    }
  }

  static Refused missingParent(String v) {
    return new Refused(Refusal.NOT_FOUND, "the folder that would contain " + v + " does not exist");
  }

  private static void closeQuietly(AutoCloseable c) {
    Confinement.closeQuietly(c);
  }
}
