package dev.selectftp.server.accounts;

import dev.selectftp.server.storage.UserNames;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The format of {@code users.json}: {@code {"version": 1, "journal": GENERATION, "users": [...]}}, the users as
 * {@link UserRecords} writes them. Files written before the journal existed have no {@code journal} field and
 * are generation 0. Errors name the position, never the content (it may be key material).
 */
final class UsersFile {
  private static final Logger log = LoggerFactory.getLogger(UsersFile.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Path dataDir;
  private final Path file;

  UsersFile(Path dataDir, Path file) {
    this.dataDir = dataDir;
    this.file = file;
  }

  /** Replaces the file with {@code users} under {@code generation}: temp file, fsync, atomic rename, fsync folder. */
  void write(Collection<User> users, long generation) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", UserStore.FORMAT_VERSION);
    root.put("journal", generation);
    ArrayNode array = root.putArray("users");
    for (User u : users) array.add(UserRecords.toJson(JSON, u));
    byte[] bytes = JSON.writeValueAsBytes(root);
    Path tmp = dataDir.resolve(UserStore.TEMP_NAME);
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
  }

  /** Owner read/write only where POSIX permissions exist: the keys allow offline password guessing. */
  static FileAttribute<?>[] ownerOnly() {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
  }

  /** Makes a rename itself durable; some platforms (Windows) cannot open a directory, which is fine there. */
  static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync directory {} on this platform: {}", dir, e.toString());
    }
  }

  /** The users in {@code bytes}, in file order; {@code generation[0]} receives the file's generation. */
  Map<String, User> parse(byte[] bytes, long[] generation) throws IOException {
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
    if (version == null || !version.isInt() || version.intValue() != UserStore.FORMAT_VERSION) {
      throw corrupt("unsupported version " + version + " (this server reads version " + UserStore.FORMAT_VERSION + ")");
    }
    JsonNode g = root.get("journal"); // absent in files written before the journal: generation 0
    if (g != null && !g.canConvertToLong()) throw corrupt("\"journal\" is not a number");
    generation[0] = g == null ? 0 : g.longValue();
    JsonNode array = root.get("users");
    if (array == null || !array.isArray()) throw corrupt("\"users\" is not an array");
    Map<String, User> users = new LinkedHashMap<>();
    Map<String, String> folded = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      User u;
      try {
        u = UserRecords.fromJson(array.get(i), "users[" + i + "]");
      } catch (UserRecords.Corrupt e) {
        throw corrupt(e.getMessage());
      }
      if (folded.putIfAbsent(UserNames.foldCase(u.name()), u.name()) != null) {
        throw corrupt("user " + u.name() + " appears twice (names are unique ignoring case)");
      }
      users.put(u.name(), u);
    }
    return users;
  }

  IOException corrupt(String why) {
    return new IOException("users file " + file + " is corrupt: " + why
        + "; it was left untouched, repair it or restore a backup");
  }
}
