package dev.selectftp.server.accounts;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.selectftp.common.ScramCredentials;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users file {@code <dataDir>/users.json}. Writes never leave a half-written file behind: the new
 * content goes to {@code users.json.tmp}, is forced to disk, renamed over the old file atomically, and the
 * directory is forced too. Read-modify-write runs under an OS file lock so that a separate admin process and
 * the server never lose each other's changes. Thread-safe.
 */
public final class UserStore {
  public static final String FILE_NAME = "users.json";
  public static final String TEMP_NAME = FILE_NAME + ".tmp";
  public static final String LOCK_NAME = FILE_NAME + ".lock";
  public static final int FORMAT_VERSION = 1;

  private static final Logger log = LoggerFactory.getLogger(UserStore.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  /**
   * One JVM cannot hold two OS locks on the same file (FileChannel.lock throws instead of waiting), so
   * threads of this process first queue here, per lock file.
   */
  private static final Map<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

  private final Path dataDir;
  private final Path file;

  /** A store for {@code <dataDir>/users.json}; touches nothing on disk until used. */
  public UserStore(Path dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    this.file = dataDir.resolve(FILE_NAME);
  }

  /** The users file itself. */
  public Path file() {
    return file;
  }

  /** Identifies one version of the users file on disk; {@link #MISSING} when there is none. */
  public record Stamp(Object fileKey, long modifiedMillis, long size) {
    public static final Stamp MISSING = new Stamp(null, -1, -1);
  }

  /** The users as read or written, and the stamp of the file they came from. */
  public record Snapshot(Map<String, User> users, Stamp stamp) {
    public Snapshot {
      users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    }
  }

  /**
   * The current file's stamp. Every save renames a fresh file into place, so the file key (inode) changes
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

  /**
   * Reads all users, keyed by name in file order. A missing file means no users.
   *
   * @throws IOException when the file cannot be read or is not a valid users file; it is left untouched
   */
  public Map<String, User> load() throws IOException {
    return read().users();
  }

  /** Like {@link #load()} but also returns the stamp taken before reading, so a racing write is re-read later. */
  public Snapshot read() throws IOException {
    Stamp stamp = stamp();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Snapshot(Map.of(), Stamp.MISSING);
    }
    return new Snapshot(parse(bytes), stamp);
  }

  /** Replaces the file's content with {@code users}, under the lock, atomically and durably. */
  public void save(Collection<User> users) throws IOException {
    Map<String, User> byName = new LinkedHashMap<>();
    for (User u : users) byName.put(u.name(), u);
    locked(() -> {
      write(byName.values());
      return null;
    });
  }

  /**
   * Read-modify-write under the exclusive OS lock on {@code users.json.lock}: re-reads the file, applies
   * {@code change} to a mutable copy (which it may modify and return), and saves the result. A result equal to
   * what was read is not written. Not reentrant: {@code change} must not call back into this store's writes.
   * A RuntimeException from {@code change} propagates with the file untouched.
   *
   * @return the users now on disk and the stamp of that file
   */
  public Snapshot update(Function<Map<String, User>, Map<String, User>> change) throws IOException {
    return locked(() -> {
      Snapshot before = read();
      Map<String, User> after = change.apply(new LinkedHashMap<>(before.users()));
      if (after.equals(before.users())) return before;
      write(after.values());
      return new Snapshot(after, stamp());
    });
  }

  /** Work that may fail with an IOException, for {@link #locked}. */
  @FunctionalInterface
  interface LockedWork<T> {
    T run() throws IOException;
  }

  /** Runs {@code work} while holding this data folder's users lock, both in-process and OS-wide. */
  <T> T locked(LockedWork<T> work) throws IOException {
    Files.createDirectories(dataDir);
    Path lockFile = dataDir.toRealPath().resolve(LOCK_NAME);
    ReentrantLock processLock = PROCESS_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
    if (processLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("users file lock is not reentrant");
    }
    processLock.lock();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      return work.run();
    } finally {
      processLock.unlock();
    }
  }

  private void write(Collection<User> users) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(toJson(users));
    Path tmp = dataDir.resolve(TEMP_NAME);
    // A leftover temp file from a crash may carry other permissions; start afresh so ours apply.
    Files.deleteIfExists(tmp);
    try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        ownerOnly())) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) out.write(buffer);
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(dataDir);
    log.debug("saved {} users to {}", users.size(), file);
  }

  /** Owner read/write only where POSIX permissions exist: the keys allow offline password guessing. */
  static FileAttribute<?>[] ownerOnly() {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
  }

  /** Makes the rename itself durable; some platforms (Windows) cannot open a directory, which is fine there. */
  static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync directory {} on this platform: {}", dir, e.toString());
    }
  }

  private static ObjectNode toJson(Collection<User> users) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", FORMAT_VERSION);
    ArrayNode array = root.putArray("users");
    Base64.Encoder b64 = Base64.getEncoder();
    for (User u : users) {
      ScramCredentials c = u.credentials();
      ObjectNode n = array.addObject();
      n.put("name", u.name());
      n.put("salt", b64.encodeToString(c.salt()));
      n.put("iterations", c.iterations());
      n.put("storedKey", b64.encodeToString(c.storedKey()));
      n.put("serverKey", b64.encodeToString(c.serverKey()));
      n.put("quotaBytes", u.quotaBytes());
      n.put("created", u.created());
    }
    return root;
  }

  private Map<String, User> parse(byte[] bytes) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      // Only the position: Jackson's message quotes the offending text, which may be key material.
      JsonLocation at = e.getLocation();
      throw corrupt(at == null ? "not valid JSON"
          : "not valid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
    }
    if (root == null || !root.isObject()) throw corrupt("not a JSON object");
    JsonNode version = root.get("version");
    if (version == null || !version.isInt() || version.intValue() != FORMAT_VERSION) {
      throw corrupt("unsupported version " + version + " (this server reads version " + FORMAT_VERSION + ")");
    }
    JsonNode array = root.get("users");
    if (array == null || !array.isArray()) throw corrupt("\"users\" is not an array");
    Map<String, User> users = new LinkedHashMap<>();
    Set<String> folded = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      User u = parseUser(array.get(i), i);
      if (!folded.add(UserNames.foldCase(u.name()))) {
        throw corrupt("user " + u.name() + " appears twice (names are unique ignoring case)");
      }
      users.put(u.name(), u);
    }
    return users;
  }

  private User parseUser(JsonNode n, int index) throws IOException {
    String where = "users[" + index + "]";
    if (!n.isObject()) throw corrupt(where + " is not an object");
    String name = text(n, "name", where);
    if (!UserNames.isValid(name)) throw corrupt(where + " has an invalid name");
    JsonNode iterations = n.get("iterations");
    JsonNode quota = n.get("quotaBytes");
    if (iterations == null || !iterations.canConvertToInt()) throw corrupt(where + ".iterations is not an int");
    if (quota == null || !quota.canConvertToLong()) throw corrupt(where + ".quotaBytes is not a number");
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      ScramCredentials c = new ScramCredentials(b64.decode(text(n, "salt", where)), iterations.intValue(),
          b64.decode(text(n, "storedKey", where)), b64.decode(text(n, "serverKey", where)));
      return new User(name, c, quota.longValue(), text(n, "created", where));
    } catch (IllegalArgumentException e) {
      // Bad base64 and out-of-range sizes both land here; the cause's text may quote key bytes, so it stays out.
      throw corrupt(where + " (" + name + ") has invalid credentials or quota");
    }
  }

  private String text(JsonNode n, String field, String where) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) throw corrupt(where + "." + field + " is missing or not a string");
    return v.textValue();
  }

  private IOException corrupt(String why) {
    return new IOException("users file " + file + " is corrupt: " + why
        + "; it was left untouched, repair it or restore a backup");
  }
}
