package dev.selectftp.server.files;

import dev.selectftp.common.LogText;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-home walks (never following links) for quota accounting and partial clean-up. Each one is
 * unbounded work: helper threads only, never the event loop.
 */
final class TreeScans {
  private static final Logger log = LoggerFactory.getLogger(TreeScans.class);

  private TreeScans() {}

  /** For {@link Home#usedBytes}: the bytes of {@link #tally}. */
  static long usedBytes(Path root) throws IOException {
    return tally(root).bytes();
  }

  /** For {@link Home#deleteStalePartials}: holds nothing, so only safe where no upload runs. */
  static int deleteStalePartials(Path root, Instant olderThan) throws IOException {
    return (int) deleteStalePartials(root, olderThan, UNGUARDED).entries();
  }

  private static final PartialGuard UNGUARDED = new PartialGuard() {
    @Override
    public boolean tryHold(Path partial) {
      return true;
    }

    @Override
    public void release(Path partial) {}
  };

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

  /**
   * Deletes partials last modified before {@code olderThan} that no upload holds, each under a hold of
   * {@code guard} so no upload can start on it meanwhile.
   *
   * @return what was freed (positive bytes and entries), exactly what was deleted
   */
  static Tally deleteStalePartials(Path root, Instant olderThan, PartialGuard guard) throws IOException {
    long[] bytes = {0};
    long[] entries = {0};
    Files.walkFileTree(root, new Visitor(root) {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
        if (a.isRegularFile() && Partials.isPartial(file) && isBefore(a, olderThan) && guard.tryHold(file)) {
          try {
            // Read again under the hold: the size counted must be the size deleted.
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (now.isRegularFile() && isBefore(now, olderThan)) {
              Files.delete(file);
              bytes[0] += now.size();
              entries[0]++;
              log.info("deleted stale partial {} (last written {})", LogText.of(file.toString()),
                  now.lastModifiedTime());
            }
          } catch (NoSuchFileException e) {
            // gone already: renamed away with its folder, or removed meanwhile
          } catch (IOException e) {
            log.warn("cannot delete stale partial {}: {}", LogText.of(file.toString()), LogText.of(e.toString()));
          } finally {
            guard.release(file);
          }
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return new Tally(bytes[0], entries[0]);
  }

  private static boolean isBefore(BasicFileAttributes a, Instant t) {
    return a.lastModifiedTime().toInstant().isBefore(t);
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
