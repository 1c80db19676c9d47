package dev.selectftp.server.storage.s3;

import dev.selectftp.server.storage.ReadAhead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The read channel of a file on S3: one version of the object ({@link ObjectVersion}), fetched by ranged
 * GETs into at most two spool windows from the reader's on ({@link ReadAheadWindows}), read as the bytes
 * arrive. Read-only: writes, truncation, mapping and locks are refused.
 *
 * <p><b>Threads.</b> Reads on helper threads (the resume's prefix hash) block until their bytes arrive; the
 * loop asks {@link #readable} first and reads no more than that, so it never waits. Any thread may close; a
 * fetch in flight then stops within one chunk and its window is deleted. A failed fetch fails every later
 * read and {@code readable} with its IOException.
 */
final class ObjectReadChannel extends FileChannel implements ReadAhead {
  /** What a SHA-256 label must look like to be trusted as one. */
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final String eTag;
  private final long size;
  /** The {@code x-amz-meta-sha256} label of the version read, or null. */
  private final String sha256;
  private final ReadAheadWindows windows;
  private long position;

  /**
   * @param eTag the version every GET insists on ({@code If-Match})
   * @param sha256 the SHA-256 label stored with that version ({@link ObjectUpload#SHA256_METADATA}), or null
   */
  ObjectReadChannel(S3Client s3, String bucket, String key, String eTag, long size, String sha256, Spool spool) {
    this.eTag = eTag;
    this.size = size;
    this.sha256 = sha256 != null && SHA256_HEX.matcher(sha256).matches() ? sha256 : null;
    this.windows = new ReadAheadWindows(new ObjectVersion(s3, bucket, key, eTag), size, spool);
  }

  /** The ETag, as {@code ObjectHome}'s stat gives it in {@code FileInfo.fileKey()}. */
  @Override
  public Object version() {
    return eTag;
  }

  /** The label read with the ETag, so it is the hash of exactly the bytes the GETs return. */
  @Override
  public Optional<String> storedSha256() {
    return Optional.ofNullable(sha256);
  }

  @Override
  public long readable(long position, Runnable ready) throws IOException {
    if (position >= size) return 0;
    return windows.readable(position, ready);
  }

  /** Reads what arrived from {@code position} (at most to the end of its window); blocks until some has. */
  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (position >= size) return -1;
    if (!dst.hasRemaining()) return 0;
    return windows.await(position).read(dst, position);
  }

  /** Reads what arrived from the channel's position (at most to the end of its window); blocks until some has. */
  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    int n = read(dst, position);
    if (n > 0) position += n;
    return n;
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      if (dsts[i].hasRemaining()) return read(dsts[i]);
    }
    return 0;
  }

  /** Zero-copy from the spool window: at most what arrived and at most to the window's end; blocks until some has. */
  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    if (position >= size || count <= 0) return 0;
    return windows.await(position).transferTo(position, Math.min(count, size - position), target);
  }

  @Override
  public synchronized long position() {
    return position;
  }

  @Override
  public synchronized FileChannel position(long newPosition) {
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  /**
   * Deletes the held windows and stops a fetch in flight; wakes blocked readers, which then fail. Not under
   * this channel's lock: a relative {@link #read(ByteBuffer)} holds it while it waits for its bytes.
   */
  @Override
  protected void implCloseChannel() {
    windows.close();
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new NonWritableChannelException();
  }

  @Override
  public int write(ByteBuffer src, long position) {
    throw new NonWritableChannelException();
  }

  @Override
  public FileChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new NonWritableChannelException();
  }

  @Override
  public void force(boolean metaData) {
    // Nothing is written.
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException("a file on S3 cannot be mapped");
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) {
    throw new UnsupportedOperationException("a file on S3 cannot be locked");
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) {
    return lock(position, size, shared);
  }
}
