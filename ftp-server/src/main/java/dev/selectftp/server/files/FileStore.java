package dev.selectftp.server.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/** All users' homes, under {@code <dataDir>/home/<user>}; one cached {@link Home} per user. */
public final class FileStore {
  /** Folder under the data dir that holds the homes. */
  public static final String HOMES_DIR = "home";
  /** The protocol's user-name rule; checked again here because a name becomes a folder name. */
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");

  private final Path homesDir;
  private final ConcurrentMap<String, Home> homes = new ConcurrentHashMap<>();

  /** @param dataDir the server's data folder; need not exist yet */
  public FileStore(Path dataDir) {
    this.homesDir = dataDir.resolve(HOMES_DIR);
  }

  /**
   * The user's home, creating its folder if missing.
   *
   * @throws IllegalArgumentException for a name that is not a valid user name
   * @throws IOException if the folder cannot be created or is not a folder
   */
  public Home home(String user) throws IOException {
    Home cached = homes.get(user);
    if (cached != null) return cached;
    if (user == null || !USER_NAME.matcher(user).matches()) {
      throw new IllegalArgumentException("not a valid user name");
    }
    Path dir = homesDir.resolve(user);
    Files.createDirectories(dir);
    Home created = new Home(dir);
    Home raced = homes.putIfAbsent(user, created);
    return raced != null ? raced : created;
  }

  /**
   * Blocking, a whole-home walk: what the user holds (bytes and entries, partials included), for
   * {@link Quotas}' count at login. Helper threads only.
   */
  public Tally tally(String user) throws IOException {
    return home(user).tally();
  }

  /**
   * Blocking, a whole-home walk: deletes the user's partials untouched for {@code maxAge}, except those
   * {@code guard} says are in use, and returns what was freed, for {@link Quotas#apply}. Helper threads only.
   */
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

  /** The folder holding all homes. */
  public Path homesDir() {
    return homesDir;
  }
}
