package dev.selectftp.server.files;

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
   * @return how many partials were deleted
   */
  static int delete(SecureDirectoryStream<Path> root, Instant olderThan) {
    return sweep(root, VirtualPath.ROOT, olderThan);
  }

  private static int sweep(SecureDirectoryStream<Path> dir, String v, Instant olderThan) {
    int deleted = 0;
    try {
      deleted = sweepEntries(dir, v, olderThan);
    } catch (DirectoryIteratorException e) {
      log.warn("stale-partial sweep stops early in {}: {}", LogText.of(v), LogText.of(e.getCause().toString()));
    }
    return deleted;
  }

  private static int sweepEntries(SecureDirectoryStream<Path> dir, String v, Instant olderThan) {
    int deleted = 0;
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
          deleted += sweep(sub, child, olderThan);
        } catch (IOException e) {
          // swapped for a link or a file since the stat (ELOOP, ENOTDIR), or unreadable: skip it
          log.warn("stale-partial sweep skips folder {}: {}", LogText.of(child), LogText.of(e.toString()));
        }
      } else if (a.isRegularFile() && Partials.isPartial(name)
          && a.lastModifiedTime().toInstant().isBefore(olderThan)) {
        try {
          dir.deleteFile(name);
          deleted++;
          log.info("deleted stale partial {} (last written {})", LogText.of(child), a.lastModifiedTime());
        } catch (NoSuchFileException e) {
          // finished or removed meanwhile
        } catch (IOException e) {
          log.warn("cannot delete stale partial {}: {}", LogText.of(child), LogText.of(e.toString()));
        }
      }
    }
    return deleted;
  }
}
