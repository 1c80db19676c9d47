package dev.selectftp.server.accounts;

import dev.selectftp.server.storage.UserNames;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code users.journal}: the changes made since {@code users.json} was last written, one JSON object per line,
 * appended and fdatasynced under the users lock, so a registration costs one short write whatever the number
 * of users. The first line names the generation of {@code users.json} it extends; a journal of an older
 * generation was already folded into {@code users.json} (a compaction stopped between its two renames) and is
 * ignored. A last line without its newline is an append a crash cut short: it was never confirmed, readers skip
 * it and the next writer cuts it off. Any other line that does not parse is corruption.
 */
final class UserJournal {
  static final String FILE_NAME = "users.journal";
  static final String TEMP_NAME = FILE_NAME + ".tmp";
  /** The header is one short line; more than this before a newline is not a journal. */
  private static final int MAX_HEADER_BYTES = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One change. */
  sealed interface Entry {
    /** Adds or replaces the user of that exact name. */
    record Put(User user) implements Entry {}

    /** Removes the user of that exact name. */
    record Remove(String name) implements Entry {}
  }

  /**
   * What a read found.
   *
   * @param generation the header's generation
   * @param entries the complete entries from the offset read from
   * @param end offset just past the last complete entry: where the next read starts
   */
  record Tail(long generation, List<Entry> entries, long end) {}

  private final Path file;
  private final Path dataDir;

  UserJournal(Path dataDir) {
    this.dataDir = dataDir;
    this.file = dataDir.resolve(FILE_NAME);
  }

  Path file() {
    return file;
  }

  /**
   * Reads the generation and the complete entries from {@code from} (0: from the first entry) to the end;
   * null when there is no journal. Needs no lock: appends only ever add whole lines after what is read, and a
   * compaction renames a new file into place, which a caller notices by its generation.
   *
   * @throws IOException when a complete line or the header does not parse
   */
  Tail read(long from) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = in.size();
      byte[] head = readFully(in, 0, (int) Math.min(size, MAX_HEADER_BYTES));
      int newline = indexOf(head, 0, head.length);
      if (newline < 0) throw corrupt("its first line is not a header");
      long generation = header(head, newline);
      long start = Math.max(from, newline + 1);
      if (start > size) throw new IOException("journal " + file + " is shorter than before");
      byte[] body = readFully(in, start, Math.toIntExact(size - start));
      List<Entry> entries = new ArrayList<>();
      int lineStart = 0;
      int end;
      while ((end = indexOf(body, lineStart, body.length)) >= 0) {
        entries.add(entry(body, lineStart, end, start + lineStart));
        lineStart = end + 1;
      }
      return new Tail(generation, entries, start + lineStart);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Appends one entry at {@code at} (the end of the last complete entry, which cuts off a torn line) and forces
   * it to disk; the caller holds the users lock. Returns the new end.
   */
  long append(long at, Entry entry) throws IOException {
    byte[] line = line(entry);
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      if (out.size() != at) out.truncate(at);
      ByteBuffer buffer = ByteBuffer.wrap(line);
      long position = at;
      while (buffer.hasRemaining()) position += out.write(buffer, position);
      out.force(false); // fdatasync: the data and the new length, not the times
      return position;
    }
  }

  /**
   * Puts an empty journal of {@code generation} in place atomically and durably (the caller holds the lock).
   * Returns the offset of its first entry.
   */
  long create(long generation) throws IOException {
    ObjectNode header = JSON.createObjectNode().put("journal", generation).put("version", UserStore.FORMAT_VERSION);
    byte[] bytes = (JSON.writeValueAsString(header) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path tmp = dataDir.resolve(TEMP_NAME);
    Files.deleteIfExists(tmp);
    try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        UserStore.ownerOnly())) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) out.write(buffer);
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    UserStore.forceDirectory(dataDir);
    return bytes.length;
  }

  private static byte[] line(Entry entry) throws JsonProcessingException {
    ObjectNode n = JSON.createObjectNode();
    if (entry instanceof Entry.Put put) n.set("put", UserRecords.toJson(JSON, put.user()));
    else if (entry instanceof Entry.Remove remove) n.put("remove", remove.name());
    return (JSON.writeValueAsString(n) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private long header(byte[] head, int newline) throws IOException {
    JsonNode n = parse(head, 0, newline, "the header");
    JsonNode g = n.get("journal");
    if (g == null || !g.canConvertToLong()) throw corrupt("the header has no generation");
    return g.longValue();
  }

  private Entry entry(byte[] body, int from, int to, long offset) throws IOException {
    String where = "the entry at byte " + offset;
    JsonNode n = parse(body, from, to, where);
    JsonNode put = n.get("put");
    JsonNode remove = n.get("remove");
    try {
      if (put != null) return new Entry.Put(UserRecords.fromJson(put, where));
    } catch (UserRecords.Corrupt e) {
      throw corrupt(e.getMessage());
    }
    if (remove != null && remove.isTextual() && UserNames.isValid(remove.textValue())) {
      return new Entry.Remove(remove.textValue());
    }
    throw corrupt(where + " is neither a put nor a remove");
  }

  private JsonNode parse(byte[] bytes, int from, int to, String where) throws IOException {
    try {
      JsonNode n = JSON.readTree(bytes, from, to - from);
      if (n == null || !n.isObject()) throw corrupt(where + " is not a JSON object");
      return n;
    } catch (JsonProcessingException e) {
      throw corrupt(where + " is not valid JSON"); // Jackson's message may quote key material
    }
  }

  private IOException corrupt(String why) {
    return new IOException("users journal " + file + " is corrupt: " + why
        + "; it was left untouched, repair it or restore a backup of users.json and users.journal together");
  }

  private static int indexOf(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') return i;
    }
    return -1;
  }

  /**
   * Reads {@code length} bytes from {@code position}, or what the file holds there when it is shorter (another
   * process cut a torn line between the caller's {@code size()} and this read): never waits for more.
   */
  static byte[] readFully(FileChannel in, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (in.read(buffer, position + buffer.position()) < 0) break; // shrank meanwhile: what is there
    }
    buffer.flip();
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }
}
