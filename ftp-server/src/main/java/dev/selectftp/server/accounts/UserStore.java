package dev.selectftp.server.accounts;

import dev.selectftp.server.storage.UserNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users on disk: {@code <dataDir>/users.json} (every user, as of one generation) plus
 * {@code users.journal} (the changes since, see {@link UserJournal}). A change appends one line to the
 * journal; every so often ({@link #compactAfter}) the users are written whole to {@code users.json.tmp},
 * forced, renamed over {@code users.json} under a new generation, and a fresh journal replaces the old. No step
 * leaves a state a reader cannot use. Changes run under the users lock ({@link UsersLock}), so a separate admin
 * process and the server never lose each other's changes. Thread-safe.
 */
public final class UserStore {
  public static final String FILE_NAME = "users.json";
  public static final String TEMP_NAME = FILE_NAME + ".tmp";
  public static final String LOCK_NAME = FILE_NAME + ".lock";
  public static final int FORMAT_VERSION = 1;
  /** The journal is folded into users.json once it holds this many entries, or as many as there are users. */
  public static final int COMPACT_MIN_ENTRIES = 1024;
  /** Lock-free full reads that race a compaction try again this often before taking the lock. */
  private static final int READ_ATTEMPTS = 3;

  private static final Logger log = LoggerFactory.getLogger(UserStore.class);

  private final Path dataDir;
  private final Path file;
  private final UserJournal journal;
  private final UsersFile usersFile;
  private final UsersLock lock;

  /** A store for {@code <dataDir>/users.json}; touches nothing on disk until used. */
  public UserStore(Path dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    this.file = dataDir.resolve(FILE_NAME);
    this.journal = new UserJournal(dataDir);
    this.usersFile = new UsersFile(dataDir, file);
    this.lock = new UsersLock(dataDir, LOCK_NAME);
  }

  /** The users file itself. */
  public Path file() {
    return file;
  }

  /** Identifies one version of {@code users.json} on disk; {@link #MISSING} when there is none. */
  public record Stamp(Object fileKey, long modifiedMillis, long size) {
    public static final Stamp MISSING = new Stamp(null, -1, -1);
  }

  /** The users as read or written, and the stamp of the users.json they came from. */
  public record Snapshot(Map<String, User> users, Stamp stamp) {
    public Snapshot {
      users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    }
  }

  /**
   * How far a reader got: the users.json it started from, its generation, and the end of the last journal
   * entry applied ({@code -1} while there is no journal of that generation yet).
   */
  record Position(Stamp snapshot, long generation, long journalEnd, int journalEntries) {
    Position advancedTo(long end, int more) {
      return new Position(snapshot, generation, end, journalEntries + more);
    }
  }

  /** A full read: the users in file order and where the reader stands. */
  record Loaded(Map<String, User> users, Position position) {}

  /**
   * The current users.json's stamp. Every save renames a fresh file into place, so the file key (inode) changes
   * along with time and size; that catches edits that keep the size and land within the clock's tick.
   */
  public Stamp stamp() throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
    } catch (NoSuchFileException e) {
      return Stamp.MISSING;
    }
  }

  /** Every user, keyed by name. Missing files mean no users. @throws IOException when a file is corrupt */
  public Map<String, User> load() throws IOException {
    return read().users();
  }

  /** Like {@link #load()} but also returns the stamp taken before reading, so a racing write is re-read later. */
  public Snapshot read() throws IOException {
    Loaded l = loadFully();
    return new Snapshot(l.users(), l.position().snapshot());
  }

  /**
   * Reads users.json and replays the journal without the lock; a compaction renaming files meanwhile makes it
   * try again, and in the end read under the lock.
   */
  Loaded loadFully() throws IOException {
    for (int i = 0; i < READ_ATTEMPTS; i++) {
      Loaded l = tryLoad();
      if (l != null) return l;
    }
    return locked(this::loadLocked);
  }

  /** A full read by a caller holding {@link #locked}, when no compaction can race it. */
  Loaded loadLocked() throws IOException {
    Loaded l = tryLoad();
    if (l == null) {
      throw new IOException(journal.file() + " is newer than " + file
          + ": restore users.json and users.journal together, or delete users.journal");
    }
    return l;
  }

  /** Changes whenever users.json is replaced or the journal grows; for noticing that a bad state was repaired. */
  Object fingerprint() throws IOException {
    long journalSize;
    try {
      journalSize = Files.size(journal.file());
    } catch (NoSuchFileException e) {
      journalSize = -1;
    }
    return List.of(stamp(), journalSize);
  }

  private Loaded tryLoad() throws IOException {
    Stamp stamp = stamp();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      bytes = null;
    }
    long[] generation = {0};
    Map<String, User> users = bytes == null ? new LinkedHashMap<>() : usersFile.parse(bytes, generation);
    UserJournal.Tail tail = journal.read(0);
    if (tail == null || tail.generation() < generation[0]) {
      return new Loaded(users, new Position(stamp, generation[0], -1, 0));
    }
    if (tail.generation() > generation[0]) return null; // a compaction between our two reads
    for (UserJournal.Entry e : tail.entries()) apply(users, e);
    Map<String, String> folded = new HashMap<>();
    for (String name : users.keySet()) {
      String other = folded.put(UserNames.foldCase(name), name);
      if (other != null) throw corrupt("users " + other + " and " + name + " differ only in letter case");
    }
    return new Loaded(users, new Position(stamp, generation[0], tail.end(), tail.entries().size()));
  }

  /**
   * Applies what the journal gained since {@code from} to {@code table}, without the lock. Returns the new
   * position, or null when users.json or the journal were replaced and only a full read will do.
   */
  Position catchUp(Position from, UserTable table) {
    try {
      if (!stamp().equals(from.snapshot())) return null;
      UserJournal.Tail tail = journal.read(Math.max(from.journalEnd(), 0));
      if (tail == null || tail.generation() < from.generation()) return from.journalEnd() < 0 ? from : null;
      if (tail.generation() > from.generation()) return null;
      for (UserJournal.Entry e : tail.entries()) apply(table, e);
      return from.advancedTo(tail.end(), tail.entries().size());
    } catch (IOException e) {
      return null; // the full read reports real damage, once
    }
  }

  /**
   * Makes {@code entry} durable and applies it to {@code table}; the caller holds {@link #locked} and has
   * caught {@code table} up to {@code at}. Folds the journal into users.json when it has grown as long as
   * {@link #compactAfter} says, so the cost per change stays constant on average.
   */
  Position write(Position at, UserJournal.Entry entry, UserTable table) throws IOException {
    if (at.snapshot().equals(Stamp.MISSING)) {
      apply(table, entry);
      return compact(at, table); // the first change creates users.json, which marks the folder as used
    }
    Position p = at;
    if (p.journalEnd() < 0) p = new Position(p.snapshot(), p.generation(), journal.create(p.generation()), 0);
    long end = journal.append(p.journalEnd(), entry);
    apply(table, entry);
    p = p.advancedTo(end, 1);
    if (p.journalEntries() < compactAfter(table.size())) return p;
    try {
      return compact(p, table);
    } catch (IOException e) {
      // The entry is durable already; the journal just stays longer. If users.json was replaced before the
      // failure, its new stamp makes the next catch-up read everything again.
      log.warn("could not fold the users journal into {}: {}", file, e.toString());
      return p;
    }
  }

  /** Journal entries that trigger a compaction: as many as users, so its O(users) write is paid once per as many changes. */
  static int compactAfter(int users) {
    return Math.max(COMPACT_MIN_ENTRIES, users);
  }

  /** Writes every user to users.json under the next generation, then starts an empty journal of it. */
  Position compact(Position at, UserTable table) throws IOException {
    List<User> users = table.copy().values().stream().sorted(Comparator.comparing(User::name)).toList();
    long generation = at.generation() + 1;
    usersFile.write(users, generation);
    Stamp stamp = stamp();
    long end = journal.create(generation);
    log.debug("compacted {} users into {} (generation {})", users.size(), file, generation);
    return new Position(stamp, generation, end, 0);
  }

  /** Replaces all users with {@code users}, under the lock, atomically and durably. */
  public void save(Collection<User> users) throws IOException {
    Map<String, User> byName = new LinkedHashMap<>();
    for (User u : users) byName.put(u.name(), u);
    locked(() -> {
      saveLocked(byName.values(), loadLocked().position());
      return null;
    });
  }

  /**
   * Read-modify-write of all users under the lock (for tests and tools; the server appends instead): applies
   * {@code change} to a mutable copy and saves the result whole. A result equal to what was read is not
   * written. A RuntimeException from {@code change} propagates with the files untouched.
   */
  public Snapshot update(Function<Map<String, User>, Map<String, User>> change) throws IOException {
    return locked(() -> {
      Loaded before = loadLocked();
      Map<String, User> after = change.apply(new LinkedHashMap<>(before.users()));
      if (after.equals(before.users())) return new Snapshot(before.users(), before.position().snapshot());
      saveLocked(after.values(), before.position());
      return new Snapshot(after, stamp());
    });
  }

  private void saveLocked(Collection<User> users, Position at) throws IOException {
    usersFile.write(users, at.generation() + 1);
    journal.create(at.generation() + 1);
  }

  /** Runs {@code work} while holding this data folder's users lock ({@link UsersLock}). */
  <T> T locked(UsersLock.Work<T> work) throws IOException {
    return lock.run(work);
  }

  private static void apply(Map<String, User> users, UserJournal.Entry e) {
    if (e instanceof UserJournal.Entry.Put put) users.put(put.user().name(), put.user());
    else if (e instanceof UserJournal.Entry.Remove remove) users.remove(remove.name());
  }

  private static void apply(UserTable table, UserJournal.Entry e) {
    if (e instanceof UserJournal.Entry.Put put) table.put(put.user());
    else if (e instanceof UserJournal.Entry.Remove remove) table.remove(remove.name());
  }

  private IOException corrupt(String why) {
    return usersFile.corrupt(why);
  }

  /** Owner read/write only where POSIX permissions exist: the keys allow offline password guessing. */
  static FileAttribute<?>[] ownerOnly() {
    return UsersFile.ownerOnly();
  }

  /** Makes a rename itself durable; some platforms (Windows) cannot open a directory, which is fine there. */
  static void forceDirectory(Path dir) {
    UsersFile.forceDirectory(dir);
  }
}
