package dev.selectftp.server.accounts;

import dev.selectftp.common.LogText;
import dev.selectftp.server.storage.HomeLayout;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Homes that no account owns any more go to {@code <dataDir>/removed/NAME-yyyyMMddTHHmmssZ}, out of reach of
 * every login (homes are only ever resolved under {@code <dataDir>/home}), so a newcomer who registers the
 * same name starts empty. The operator restores or deletes them by hand.
 */
public final class RetiredHomes {
  /** Accounts' logger: these lines are what an administrator knows as the accounts' own. */
  private static final Logger log = LoggerFactory.getLogger(Accounts.class);
  /** Where retired homes go, under the data folder. */
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** Two removals of one name within a second get -2, -3, ...; past this something else is wrong. */
  private static final int MAX_SUFFIX = 1000;

  private RetiredHomes() {}

  /**
   * Moves {@code home} (a folder, or a symlink, which is moved itself) to the removed folder with one
   * rename, so that it is gone from the homes at once. Returns where it went, or null when there was nothing.
   */
  public static Path retire(Path dataDir, Path home, String name, Instant now) throws IOException {
    if (!Files.exists(home, LinkOption.NOFOLLOW_LINKS)) return null;
    Path removed = Files.createDirectories(HomeLayout.removedDir(dataDir));
    String base = name + "-" + STAMP.format(now);
    for (int n = 1; n <= MAX_SUFFIX; n++) {
      Path target = removed.resolve(n == 1 ? base : base + "-" + n);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) continue;
      try {
        Files.move(home, target, StandardCopyOption.ATOMIC_MOVE);
        UserStore.forceDirectory(home.getParent());
        return target;
      } catch (FileAlreadyExistsException e) {
        // taken meanwhile: try the next suffix
      } catch (NoSuchFileException e) {
        return null; // moved by someone else meanwhile
      }
    }
    throw new IOException("cannot find a free name for " + base + " in " + removed);
  }

  /**
   * Moves a folder left at {@code name}'s home by an earlier account to the removed folder, so a newcomer of
   * that name starts empty; call it before the new account exists. Returns where it went, or null.
   */
  public static Path retireLeftover(Path dataDir, String name) throws IOException {
    Path retired = retire(dataDir, HomeLayout.homeOf(dataDir, name), name, Instant.now());
    if (retired != null) log.warn("moved the leftover home of {} to {}", LogText.of(name), retired);
    return retired;
  }

  /** Deletes a home a removal retired, and all in it; symlinks are removed, never followed. */
  public static void deleteRetired(Path dataDir, Path retiredHome) throws IOException {
    Path removed = HomeLayout.removedDir(dataDir).toAbsolutePath().normalize();
    if (!retiredHome.toAbsolutePath().normalize().startsWith(removed)) {
      throw new IllegalArgumentException("not a retired home: " + retiredHome);
    }
    deleteTree(retiredHome);
  }

  /** Deletes {@code dir} and its content; symlinks are removed themselves, never followed. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) throw e;
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
