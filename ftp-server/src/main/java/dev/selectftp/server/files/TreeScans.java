package dev.selectftp.server.files;

import dev.selectftp.server.storage.Tally;

import dev.selectftp.common.LogText;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole-home count (never following links) behind quota accounting; it only reads sizes, so a walk by
 * path is enough here (clean-ups that delete walk by descriptor: {@link StalePartials}). Unbounded work:
 * helper threads only, never the event loop.
 */
final class TreeScans {
  private static final Logger log = LoggerFactory.getLogger(TreeScans.class);

  private TreeScans() {}

  /** Bytes of regular files and the number of files and folders under {@code root} (not counting it). */
  static Tally tally(Path root) throws IOException {
    long[] bytes = {0};
    long[] entries = {0};
    Files.walkFileTree(root, new Visitor(root) {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
        if (!dir.equals(root)) entries[0]++;
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
        if (a.isRegularFile()) {
          bytes[0] += a.size();
          entries[0]++;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        // Something that exists but cannot be read (a folder without permission) still holds an inode.
        if (!(e instanceof NoSuchFileException)) entries[0]++;
        return super.visitFileFailed(file, e);
      }
    });
    return new Tally(bytes[0], entries[0]);
  }

  /** Skips what vanishes or cannot be read mid-walk instead of aborting the whole scan. */
  private abstract static class Visitor extends SimpleFileVisitor<Path> {
    private final Path root;

    Visitor(Path root) {
      this.root = root;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
      if (file.equals(root)) throw e;
      if (!(e instanceof NoSuchFileException)) {
        log.warn("scan skips {}: {}", LogText.of(file.toString()), LogText.of(e.toString()));
      }
      return FileVisitResult.CONTINUE;
    }
  }
}
