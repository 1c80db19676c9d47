package dev.selectftp.server.files;

import dev.selectftp.server.storage.VirtualPath;
import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Tally;

import dev.selectftp.common.LogText;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes old partial uploads from a whole home by descriptor: each folder is opened relative to its parent
 * without following links and each partial is removed with {@code unlinkat} in the folder where it was
 * seen. A walk by path would delete through a folder swapped for a link meanwhile, outside the home.
 *
 * <p>Like any tree walk it holds one open folder per level (two descriptors each) and does work in
 * proportion to the home: a maintenance task for a helper thread, never for the loop.
 */
final class StalePartials {
  private static final Logger log = LoggerFactory.getLogger(StalePartials.class);

  private StalePartials() {}

  /**
   * @param root the home's root folder, open
   * @param rootPath its real path, to name partials to {@code guard} the way uploads lock them
   * @param guard holds each partial while it is deleted, so a partial an upload holds is skipped
   * @return what was freed: bytes and entries of the partials deleted
   */
  static Tally delete(SecureDirectoryStream<Path> root, Path rootPath, Instant olderThan, PartialGuard guard) {
    long[] freed = {0, 0};
    sweep(root, VirtualPath.ROOT, rootPath, olderThan, guard, freed);
    return new Tally(freed[0], freed[1]);
  }

  private static void sweep(SecureDirectoryStream<Path> dir, String v, Path real, Instant olderThan,
      PartialGuard guard, long[] freed) {
    try {
      sweepEntries(dir, v, real, olderThan, guard, freed);
    } catch (DirectoryIteratorException e) {
      log.warn("stale-partial sweep stops early in {}: {}", LogText.of(v), LogText.of(e.getCause().toString()));
    }
  }

  private static void sweepEntries(SecureDirectoryStream<Path> dir, String v, Path real, Instant olderThan,
      PartialGuard guard, long[] freed) {
    for (Path entry : dir) {
      Path name = entry.getFileName();
      String child = (v.equals(VirtualPath.ROOT) ? v : v + "/") + name;
      BasicFileAttributes a;
      try {
        a = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .readAttributes();
      } catch (NoSuchFileException e) {
        continue; // gone meanwhile
      } catch (IOException e) {
        log.warn("stale-partial sweep skips {}: {}", LogText.of(child), LogText.of(e.toString()));
        continue;
      }
      if (a.isDirectory()) {
        try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
          sweep(sub, child, real.resolve(name.toString()), olderThan, guard, freed);
        } catch (IOException e) {
          // swapped for a link or a file since the stat (ELOOP, ENOTDIR), or unreadable: skip it
          log.warn("stale-partial sweep skips folder {}: {}", LogText.of(child), LogText.of(e.toString()));
        }
      } else if (a.isRegularFile() && Partials.isPartial(name)
          && a.lastModifiedTime().toInstant().isBefore(olderThan)) {
        deleteHeld(dir, name, child, real.resolve(name.toString()), olderThan, guard, freed);
      }
    }
  }

  /** Deletes one partial under the guard's hold, re-reading it first: the size counted is the size deleted. */
  private static void deleteHeld(SecureDirectoryStream<Path> dir, Path name, String child, Path real,
      Instant olderThan, PartialGuard guard, long[] freed) {
    if (!guard.tryHold(real)) return; // an upload is writing it
    try {
      BasicFileAttributes now = dir.getFileAttributeView(name, BasicFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS).readAttributes();
      if (!now.isRegularFile() || !now.lastModifiedTime().toInstant().isBefore(olderThan)) return;
      dir.deleteFile(name);
      freed[0] += now.size();
      freed[1]++;
      log.info("deleted stale partial {} (last written {})", LogText.of(child), now.lastModifiedTime());
    } catch (NoSuchFileException e) {
      // finished or removed meanwhile
    } catch (IOException e) {
      log.warn("cannot delete stale partial {}: {}", LogText.of(child), LogText.of(e.toString()));
    } finally {
      guard.release(real);
    }
  }
}
