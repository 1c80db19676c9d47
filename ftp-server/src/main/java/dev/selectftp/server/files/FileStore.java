package dev.selectftp.server.files;

import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Tally;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import dev.selectftp.server.storage.HomeLayout;
import dev.selectftp.server.storage.Storage;

/**
 * The local-disk {@link Storage}: all users' homes, laid out as {@link HomeLayout} says; one cached
 * {@link Home} per user.
 */
public final class FileStore implements Storage {
  /** Below this much free space a failed write is reported as a full disk. */
  public static final long LOW_SPACE_BYTES = 1024 * 1024;

  private final Path dataDir;
  private final Path homesDir;
  private final ConcurrentMap<String, Home> homes = new ConcurrentHashMap<>();

  /** @param dataDir the server's data folder; need not exist yet */
  public FileStore(Path dataDir) {
    this.dataDir = dataDir;
    this.homesDir = HomeLayout.homesDir(dataDir);
  }

  /**
   * The user's home, creating its folder if missing.
   *
   * @throws IllegalArgumentException for a name that is not a valid user name
   * @throws IOException if the folder cannot be created or is not a folder
   */
  @Override
  public Home home(String user) throws IOException {
    Home cached = homes.get(user);
    if (cached != null) return cached;
    Path dir = HomeLayout.homeOf(dataDir, user);
    Files.createDirectories(dir);
    Home created = new Home(dir);
    Home raced = homes.putIfAbsent(user, created);
    return raced != null ? raced : created;
  }

  /**
   * Blocking, a whole-home walk: what the user holds (bytes and entries, partials included), for
   * {@code Quotas}' count at login. Helper threads only.
   */
  @Override
  public Tally tally(String user) throws IOException {
    return home(user).tally();
  }

  /**
   * Blocking, a whole-home walk: deletes the user's partials untouched for {@code maxAge}, except those
   * {@code guard} says are in use, and returns what was freed, for {@code Quotas.apply}. Helper threads only.
   */
  @Override
  public Tally deleteStalePartials(String user, Duration maxAge, Instant now, PartialGuard guard)
      throws IOException {
    return home(user).deleteStalePartials(maxAge, now, guard);
  }

  /**
   * Bytes the user stores (files and partials), for the admin commands, which run without a server.
   *
   * @throws UncheckedIOException if the home cannot be walked
   */
  public long usedBytes(String user) {
    try {
      return tally(user).bytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean lowOnSpace() {
    try {
      return Files.getFileStore(dataDir).getUsableSpace() < LOW_SPACE_BYTES;
    } catch (IOException e) {
      return false;
    }
  }

  /** The folder holding all homes. */
  public Path homesDir() {
    return homesDir;
  }
}
