package dev.selectftp.server.files;

import dev.selectftp.server.storage.HomeLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates folders inside a home by descriptor, although the JDK has no {@code mkdirat}.
 *
 * <p>A {@code mkdir} by path would follow a parent folder swapped for a symlink by a local process, and
 * create the folder outside the home. Instead a fresh, empty folder is made in a server-owned staging
 * folder beside the homes, {@code <data>/home/.staging} (user names never start with '.', so it is no one's
 * home, and a local user who can write into a home cannot write there), and then moved into the parent
 * folder's descriptor with {@code renameat(2)}: the new folder lands in the folder that was checked, or
 * nowhere. The staging folder shares its parent with the homes, so it is on their file system, which a
 * rename needs; a home mounted from elsewhere makes the rename fail ({@code EXDEV}), and that is reported,
 * never worked around by path. Cost: one {@code mkdir}, one open of the staging folder, one
 * {@code renameat}.
 *
 * <p>rename(2) replaces an empty folder at the target name, so the caller checks the name is free just
 * before; only a racing local process could put an empty folder there in between, and then it is replaced
 * by an equally empty one, inside the home. A crash between the {@code mkdir} and the rename leaves an empty
 * folder here; {@link #sweep} removes old ones.
 */
final class Staging {
  /** The staging folder's name inside the folder of homes. */
  /** Prefix of every staged folder's name, so a sweep removes nothing else. */
  private static final String PREFIX = "mkdir-";
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final Logger log = LoggerFactory.getLogger(Staging.class);

  private final Path dir;

  /** @param homesDir the folder holding the homes (trusted, server-owned) */
  Staging(Path homesDir) throws IOException {
    this.dir = Files.createDirectories(homesDir.resolve(HomeLayout.STAGING_DIR));
  }

  /**
   * Creates the folder {@code at.name()} inside {@code at.dir()}.
   *
   * @throws IOException as {@code renameat} reports it: {@link java.nio.file.NoSuchFileException} when the
   *     parent was removed meanwhile, {@link java.nio.file.AtomicMoveNotSupportedException} across file
   *     systems, a plain {@link java.nio.file.FileSystemException} when the name was taken meanwhile
   */
  void makeDir(Located at) throws IOException {
    String staged = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    Path stagedPath = Files.createDirectory(dir.resolve(staged));
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      if (!(ds instanceof SecureDirectoryStream<Path> sds)) throw new UnsupportedOperationException("no openat");
      sds.move(NameChecks.nameOf(dir.getFileSystem(), staged), at.dir(), at.name());
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(stagedPath);
      } catch (IOException cleanup) {
        log.warn("cannot remove the staged folder {}", stagedPath, cleanup);
      }
      throw e;
    }
  }

  /** Removes staged folders left by a crash, last changed before {@code olderThan}; never fails. */
  void sweep(Instant olderThan) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path p : ds) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory() && a.lastModifiedTime().toInstant().isBefore(olderThan)) Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException e) {
      // nothing staged, nothing to sweep
    } catch (IOException e) {
      log.warn("cannot sweep {}", dir, e);
    }
  }
}
