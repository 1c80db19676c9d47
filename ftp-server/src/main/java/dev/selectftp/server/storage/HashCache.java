package dev.selectftp.server.storage;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Remembers whole-file SHA-256s so a download of an unchanged file need not hash it again.
 *
 * <p>An entry is valid only while the file's size, modification time and file key (device + inode) are
 * what they were when it was hashed. Uploads replace files by renaming a partial over them, which gives a
 * new file key, so a replaced file is never served a stale hash even within the same millisecond.
 *
 * <p>Thread-safe: the event loop reads it while a background hashing thread fills it. Bounded LRU.
 */
public final class HashCache {
  /** Default number of files remembered. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private record Fingerprint(long size, long modifiedMillis, Object fileKey) {
    static Fingerprint of(FileInfo f) {
      return new Fingerprint(f.size(), f.modifiedMillis(), f.fileKey());
    }
  }

  private record Cached(Fingerprint fingerprint, String sha256) {}

  private final Map<Path, Cached> byPath;

  /** A cache of {@link #DEFAULT_MAX_ENTRIES} files. */
  public HashCache() {
    this(DEFAULT_MAX_ENTRIES);
  }

  /** A cache remembering at most {@code maxEntries} files, evicting the least recently used. */
  public HashCache(int maxEntries) {
    if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be >= 1");
    // One entry per path (not per fingerprint), so a changed file replaces its stale entry.
    this.byPath = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Path, Cached> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** The remembered hash if the file is still exactly as it was when hashed. */
  public synchronized Optional<String> get(FileInfo file) {
    if (!file.exists() || file.dir()) return Optional.empty();
    Cached c = byPath.get(file.real());
    if (c == null) return Optional.empty();
    if (!c.fingerprint().equals(Fingerprint.of(file))) {
      byPath.remove(file.real());
      return Optional.empty();
    }
    return Optional.of(c.sha256());
  }

  /**
   * Remembers {@code sha256hex} for the file as described by {@code file}, which must be the
   * {@link FileInfo} read before hashing began (so a change during hashing makes the entry miss).
   *
   * @throws IllegalArgumentException for a missing file, a folder, or a hash that is not 64 lowercase hex
   */
  public synchronized void put(FileInfo file, String sha256hex) {
    if (!file.exists() || file.dir()) throw new IllegalArgumentException("only existing files have hashes");
    if (sha256hex == null || !SHA256_HEX.matcher(sha256hex).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits");
    }
    byPath.put(Objects.requireNonNull(file.real()), new Cached(Fingerprint.of(file), sha256hex));
  }

  /** Forgets a path (for example after it was deleted or renamed). */
  public synchronized void invalidate(Path real) {
    byPath.remove(real);
  }

  /** Number of files remembered. */
  public synchronized int size() {
    return byPath.size();
  }
}
