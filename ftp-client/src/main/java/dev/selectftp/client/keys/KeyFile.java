package dev.selectftp.client.keys;

import dev.selectftp.common.ScramClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key cache's file: one line per entry, {@code v1 SERVER USER SALT ITERATIONS KDF-ITERATIONS KDF-SALT
 * NONCE SEALED} (USER and the byte fields in base64), newest first, at most {@link #MAX_ENTRIES}. It is
 * written whole to a new file created {@code 0600} in a folder made {@code 0700}, then moved over the old
 * one, so a reader never sees half a file and the keys are never readable by others, even for a moment. A
 * file that others can read is not trusted (it is ignored, and the next write replaces it).
 */
final class KeyFile {
  private static final Logger log = LoggerFactory.getLogger(KeyFile.class);
  static final int MAX_ENTRIES = 100;
  private static final String VERSION = "v1";
  private static final String HEADER = "# SelectFTP client key cache (docs/SECURITY.md); delete it to forget";
  private static final int FIELDS = 9;
  /** The new file is made beside the old one, so that moving it over is one rename. */
  private static final String FILE_NAME_PREFIX = ".scram-keys-";
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");

  /** One server and user's keys under one salt and iteration count. */
  record Entry(String server, String user, byte[] salt, int iterations, SealedKeys sealed) {
    boolean sameAccount(String server, String user) {
      return this.server.equals(server) && this.user.equals(user);
    }

    boolean names(String server, String user, ScramClient.Challenge challenge) {
      return sameAccount(server, user) && iterations == challenge.iterations()
          && Arrays.equals(salt, challenge.salt());
    }
  }

  private final Path path;

  KeyFile(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  /** The entries, newest first; none when the file is missing or others may read it. */
  List<Entry> read() throws IOException {
    List<String> lines;
    try {
      if (posix() && !Files.getPosixFilePermissions(path).equals(OWNER_FILE)) {
        log.warn("ignoring key cache {}: its mode is not 0600", path);
        return List.of();
      }
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>();
    for (String line : lines) {
      Entry entry = parse(line);
      if (entry != null && entries.size() < MAX_ENTRIES) entries.add(entry);
    }
    return entries;
  }

  /** Replaces the file with {@code entries} (the first {@link #MAX_ENTRIES}), owner-only throughout. */
  void write(List<Entry> entries) throws IOException {
    Path folder = path.toAbsolutePath().getParent();
    if (posix()) {
      if (!Files.isDirectory(folder)) Files.createDirectories(folder, attribute(OWNER_FOLDER));
    } else {
      Files.createDirectories(folder);
    }
    List<String> lines = new ArrayList<>(List.of(HEADER));
    entries.stream().limit(MAX_ENTRIES).map(KeyFile::format).forEach(lines::add);
    Path temp = posix() ? Files.createTempFile(folder, FILE_NAME_PREFIX, ".tmp", attribute(OWNER_FILE))
        : Files.createTempFile(folder, FILE_NAME_PREFIX, ".tmp");
    try {
      Files.write(temp, lines, StandardCharsets.UTF_8);
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String format(Entry e) {
    Base64.Encoder b64 = Base64.getEncoder();
    SealedKeys s = e.sealed();
    return String.join(" ", VERSION, e.server(), b64.encodeToString(e.user().getBytes(StandardCharsets.UTF_8)),
        b64.encodeToString(e.salt()), Integer.toString(e.iterations()), Integer.toString(s.kdfIterations()),
        b64.encodeToString(s.kdfSalt()), b64.encodeToString(s.nonce()), b64.encodeToString(s.box()));
  }

  /** The entry on {@code line}, or null for the header, a blank line or a damaged one. */
  private static Entry parse(String line) {
    String[] f = line.split(" ");
    if (f.length != FIELDS || !f[0].equals(VERSION)) return null;
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      return new Entry(f[1], new String(b64.decode(f[2]), StandardCharsets.UTF_8), b64.decode(f[3]),
          Integer.parseInt(f[4]), new SealedKeys(Integer.parseInt(f[5]), b64.decode(f[6]), b64.decode(f[7]),
              b64.decode(f[8])));
    } catch (IllegalArgumentException e) { // bad base64 or number: the line is skipped
      return null;
    }
  }

  private boolean posix() {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }
}
