package dev.selectftp.server.transfer;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.ByteSink;
import dev.selectftp.server.storage.ReadAhead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * One download: sends {@code [offset, size)} of a file. When the whole file's hash is already known it
 * goes out with {@link ByteSink#transferFrom} (zero copy in plain text); otherwise each slice is read through the
 * loop's scratch buffer and hashed on the way, so the hash is known at the end without a second pass.
 *
 * <p>A file whose bytes arrive after it was opened (on S3: a {@link ReadAhead}) is sent only as far as they
 * have: the door asks {@link #behind} before each slice and pauses the send until told to go on, so the
 * loop never waits on the store.
 */
public final class Download {
  /** Largest zero-copy slice per call (about 0.3 ms of copying into the socket); the socket often takes less. */
  static final long TRANSFER_SLICE_BYTES = 1024 * 1024;

  private final String virtualPath;
  private final FileInfo info;
  private final FileChannel file;
  private final long size;
  private final HashCache cache;
  private final long startedNanos = System.nanoTime();
  private final MessageDigest digest = Sha256.newDigest();
  private String sha256;
  private long offset;
  private long position;
  private long hashedUpTo;

  private Download(String virtualPath, FileInfo info, FileChannel file, long size, HashCache cache) {
    this.virtualPath = virtualPath;
    this.info = info;
    this.file = file;
    this.size = size;
    this.cache = cache;
    this.sha256 = cache.get(info).or(() -> file instanceof ReadAhead ahead ? ahead.storedSha256() : Optional.empty())
        .orElse(null);
  }

  public static Download open(HomeStore home, String virtualPath, HashCache cache)
      throws Refused, IOException {
    FileInfo stat = statFile(home, virtualPath);
    FileChannel file = home.openRead(stat.real());
    try {
      return new Download(virtualPath, versionRead(stat, file), file, file.size(), cache);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * The stat of what {@code file} reads: on a store that opens a file by a second request (S3: its own HEAD),
   * the file may have been replaced since {@code stat}, and its hash must then not be looked up or remembered
   * under the older version's description.
   */
  private static FileInfo versionRead(FileInfo stat, FileChannel file) throws IOException {
    if (!(file instanceof ReadAhead ahead) || ahead.version().equals(stat.fileKey())) return stat;
    return new FileInfo(stat.real(), true, false, file.size(), stat.modifiedMillis(), ahead.version());
  }

  /**
   * What is at {@code virtualPath}, which must be a file: the one rule of "a file to read" for downloads and
   * hashes.
   *
   * @throws Refused NOT_FOUND, IS_A_DIRECTORY, or as {@link HomeStore#stat}
   */
  public static FileInfo statFile(HomeStore home, String virtualPath) throws Refused {
    FileInfo info = home.stat(virtualPath);
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such file: " + virtualPath);
    if (info.dir()) throw new Refused(Refusal.IS_A_DIRECTORY, virtualPath + " is a folder");
    return info;
  }

  /**
   * Blocking: checks that the client's first {@code requested} bytes hash to {@code prefixSha256} and
   * returns the offset to send from: {@code requested} when they match, 0 when not.
   */
  public long resumeFrom(long requested, String prefixSha256) throws IOException {
    if (requested <= 0 || requested > size) return start(0);
    Sha256.update(digest, file, requested);
    if (!Sha256.peekHex(digest).equals(prefixSha256)) {
      digest.reset();
      return start(0);
    }
    hashedUpTo = requested;
    return start(requested);
  }

  /**
   * Blocking: starts at {@code offset} with no prefix to check (FTP's REST before RETR). When the whole
   * file's hash is unknown, the first {@code offset} bytes are hashed here, so that it is still known once
   * the rest was sent.
   *
   * @throws IllegalArgumentException for an offset outside {@code [0, size]}; the door refuses those first
   */
  public long startAt(long offset) throws IOException {
    if (offset < 0 || offset > size) throw new IllegalArgumentException("offset outside the file");
    if (sha256 == null) {
      Sha256.update(digest, file, offset);
      hashedUpTo = offset;
    }
    return start(offset);
  }

  private long start(long from) {
    offset = from;
    position = from;
    return from;
  }

  /**
   * Loop: true when the store has not fetched the bytes at the send position yet (a file on S3); the door
   * must then stop sending until {@code sendOn} runs, once, on {@code loop} (when some arrived or the fetch
   * failed). Always false on the local disk and once every byte was sent.
   *
   * @throws IOException the store failed or the file changed on it: the download cannot go on
   */
  public boolean behind(Executor loop, Runnable sendOn) throws IOException {
    if (position >= size || !(file instanceof ReadAhead ahead)) return false;
    return ahead.readable(position, () -> loop.execute(sendOn)) == 0;
  }

  /**
   * Writes some bytes to {@code out}, through {@code scratch} when hashing is needed, never more than the
   * store has fetched (so on the loop it never waits: ask {@link #behind} first); returns true while more
   * remain.
   *
   * @throws IOException when the socket fails, the file shrank underneath us, or the store failed
   */
  public boolean send(ByteSink out, ByteBuffer scratch) throws IOException {
    if (position >= size) return false;
    long slice = Math.min(size - position, file instanceof ReadAhead ahead ? ahead.readable(position, null) : size);
    if (slice == 0) return true; // nothing fetched yet: behind() tells the door when to come back
    if (sha256 != null) {
      position += out.transferFrom(file, position, Math.min(slice, TRANSFER_SLICE_BYTES));
      return position < size;
    }
    scratch.clear().limit((int) Math.min(scratch.capacity(), slice));
    int read = file.read(scratch, position);
    if (read <= 0) throw new IOException(virtualPath + " shrank while being sent");
    scratch.flip();
    long end = position + read;
    if (end > hashedUpTo) {
      // A slice the socket refused last time is sent again but must not be hashed twice.
      int fresh = (int) (end - hashedUpTo);
      ByteBuffer unhashed = scratch.duplicate().position(read - fresh);
      Sha256.update(digest, unhashed, fresh);
      hashedUpTo = end;
    }
    position += out.write(scratch);
    return position < size;
  }

  /** The whole file's SHA-256, once every byte was sent; remembered for the next download. */
  public String sha256() {
    if (sha256 == null) {
      sha256 = Sha256.hex(digest);
      cache.put(info, sha256);
    }
    return sha256;
  }

  /** The hash when known before sending (from the cache), else null. */
  public String knownSha256() {
    return sha256;
  }

  /** Adopts a whole-file hash computed before sending, so the bytes can go out zero-copy. */
  public void useKnownSha256(String wholeFile) {
    if (offset != 0 || position != 0) throw new IllegalStateException("only before sending from 0");
    this.sha256 = wholeFile;
  }

  public FileInfo info() {
    return info;
  }

  public long size() {
    return size;
  }

  public long offset() {
    return offset;
  }

  public long sent() {
    return position - offset;
  }

  public String virtualPath() {
    return virtualPath;
  }

  public double seconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Safe twice. */
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(Download.class).debug("close failed: {}", e.toString());
    }
  }
}
