package dev.selectftp.server.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whole-home walks (never following links) for quota accounting and partial clean-up. */
final class TreeScans {
  private static final Logger log = LoggerFactory.getLogger(TreeScans.class);

  private TreeScans() {}

  static long usedBytes(Path root) throws IOException {
    long[] total = {0};
    Files.walkFileTree(root, new Visitor(root) {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
        if (a.isRegularFile()) total[0] += a.size();
        return FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }

  static int deleteStalePartials(Path root, Instant olderThan) throws IOException {
    int[] deleted = {0};
    Files.walkFileTree(root, new Visitor(root) {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
        if (a.isRegularFile() && Partials.isPartial(file)
            && a.lastModifiedTime().toInstant().isBefore(olderThan)) {
          try {
            Files.delete(file);
            deleted[0]++;
            log.info("deleted stale partial {} (last written {})", file, a.lastModifiedTime());
          } catch (NoSuchFileException e) {
            // gone already: someone finished or removed it meanwhile
          } catch (IOException e) {
            log.warn("cannot delete stale partial {}", file, e);
          }
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return deleted[0];
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
      if (!(e instanceof NoSuchFileException)) log.warn("scan skips {}", file, e);
      return FileVisitResult.CONTINUE;
    }
  }
}
