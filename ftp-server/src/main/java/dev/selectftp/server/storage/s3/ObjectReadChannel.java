package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import dev.selectftp.server.storage.ReadAhead;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The read channel of a file on S3: the object is fetched in {@link #WINDOW_BYTES} windows by ranged
 * GetObjects on the spool's fetcher threads ({@link ReadWindow}), starting at the first position read,
 * at most {@link #MAX_WINDOWS} from the reader's on, and a window is deleted once the reader passed it. So the
 * first byte waits for one chunk of one GET, a resumed download never fetches what it skips, and a download
 * holds at most {@code MAX_WINDOWS * WINDOW_BYTES} of spool however large the file or slow the client. A
 * read at a position that is not held (a resume that starts over at 0) drops the windows and fetches from
 * there.
 *
 * <p><b>One version.</b> Every GET carries {@code If-Match} with the ETag the object had when opened, so an
 * object replaced meanwhile fails the read ("changed while being read", from S3's 412) instead of sending a
 * mix of two versions.
 *
 * <p><b>Threads.</b> Reads on helper threads (the resume's prefix hash) block until their bytes arrive; the
 * loop asks {@link #readable} first and reads no more than that, so it never waits. Any thread may close; a
 * fetch in flight then stops within one chunk and its window is deleted. A failed fetch fails every later
 * read and {@code readable} with its IOException.
 */
final class ObjectReadChannel extends FileChannel implements ReadAhead {
  /** One ranged GET: large enough that a request's round trip is a small part of it, small on the spool. */
  static final long WINDOW_BYTES = 8L * 1024 * 1024;
  /** Windows held per download (the reader's and the next): one is read while the next is fetched. */
  static final int MAX_WINDOWS = 2;
  /** What a SHA-256 label must look like to be trusted as one. */
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  /** HTTP status of a failed If-Match. */
  private static final int PRECONDITION_FAILED = 412;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final String eTag;
  private final long size;
  /** The {@code x-amz-meta-sha256} label of the version read, or null. */
  private final String sha256;
  private final Spool spool;
  /** Where window 0 starts: the position of the first read, or of the last start over. */
  private long base;
  /** Held windows by index from {@link #base}: at most {@link #MAX_WINDOWS}, from the reader's on. */
  private final TreeMap<Long, ReadWindow> held = new TreeMap<>();
  /** The window the reader is in. */
  private long reading;
  /** The next window to fetch. */
  private long next;
  private boolean fetching;
  private IOException failure;
  private Runnable ready;
  private long position;

  /**
   * @param eTag the version every GET insists on ({@code If-Match})
   * @param sha256 the SHA-256 label stored with that version ({@link ObjectUpload#SHA256_METADATA}), or null
   */
  ObjectReadChannel(S3Client s3, String bucket, String key, String eTag, long size, String sha256, Spool spool) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.eTag = eTag;
    this.size = size;
    this.sha256 = sha256 != null && SHA256_HEX.matcher(sha256).matches() ? sha256 : null;
    this.spool = spool;
  }

  /** The label read with the ETag, so it is the hash of exactly the bytes the GETs return. */
  @Override
  public Optional<String> storedSha256() {
    return Optional.ofNullable(sha256);
  }

  @Override
  public synchronized long readable(long position, Runnable ready) throws IOException {
    if (position >= size) return 0;
    long n = readableNow(position);
    if (n > 0) return n;
    if (ready != null) this.ready = ready;
    return 0;
  }

  /** Under the lock: bytes readable at {@code position} now, after moving the reader there. */
  private long readableNow(long position) throws IOException {
    if (!isOpen()) throw new ClosedChannelException();
    if (failure != null) throw failure;
    ReadWindow window = moveTo(position);
    return window == null ? 0 : Math.max(0, window.readable(position));
  }

  /**
   * Under the lock: the reader is at {@code position}; drops the windows behind it, starts the windows over
   * at {@code position} itself when it is somewhere not fetched (the first read, a resume, a start over), and
   * fetches ahead. Returns the window holding {@code position}, null while its GET has not started.
   */
  private ReadWindow moveTo(long position) {
    long index = position < base ? -1 : (position - base) / WINDOW_BYTES;
    if (index < 0 || (!held.containsKey(index) && next != index)) {
      held.values().forEach(ReadWindow::drop);
      held.clear();
      base = position;
      index = 0;
      next = 0;
    }
    reading = index;
    while (!held.isEmpty() && held.firstKey() < index) held.pollFirstEntry().getValue().drop();
    fetchMore();
    return held.get(index);
  }

  /** Under the lock: starts the next window's GET unless one is in flight or the reader is far enough behind. */
  private void fetchMore() {
    if (fetching || failure != null || !isOpen()) return;
    long start = base + next * WINDOW_BYTES;
    if (start >= size || next >= reading + MAX_WINDOWS) return;
    ReadWindow window = new ReadWindow(spool.dir(), start, Math.min(size, start + WINDOW_BYTES));
    try {
      spool.fetch(() -> fetch(window));
    } catch (RejectedExecutionException e) {
      failure = new IOException("the server is stopping", e);
      return;
    }
    held.put(next++, window);
    fetching = true;
  }

  /** Fetcher thread: one window's GET, then the next one if the reader is close enough. */
  private void fetch(ReadWindow window) {
    IOException failed = null;
    ResponseInputStream<GetObjectResponse> in = null;
    try {
      in = io("get", () -> s3.getObject(r -> r.bucket(bucket).key(key).range(window.range()).ifMatch(eTag)));
      window.fill(in, this::arrived);
    } catch (IOException e) {
      if (S3Calls.answered(e, PRECONDITION_FAILED)) {
        failed = new IOException("the file changed on the store while being read", e);
      } else {
        failed = in == null ? e : new IOException("S3 get failed mid-answer: " + e.getMessage(), e);
      }
    } catch (RuntimeException e) {
      failed = new IOException("S3 get failed: " + e, e);
    } finally {
      // A window dropped mid-answer: cut the connection rather than read the rest of the window to reuse it.
      if (in != null) {
        if (window.dropped()) in.abort();
        try {
          in.close();
        } catch (IOException | RuntimeException e) {
          // Closing after a failure or an abort: nothing more to learn.
        }
      }
    }
    Runnable wake;
    synchronized (this) {
      fetching = false;
      if (failed != null && !window.dropped() && failure == null) failure = failed;
      fetchMore();
      wake = takeReady();
    }
    if (wake != null) wake.run();
  }

  /** Fetcher thread: a chunk arrived; wakes blocked readers and the loop's waiting download. */
  private void arrived() {
    Runnable wake;
    synchronized (this) {
      wake = takeReady();
    }
    if (wake != null) wake.run();
  }

  /** Under the lock: wakes blocked readers and hands back the loop's waiting {@code ready}, once. */
  private Runnable takeReady() {
    notifyAll();
    Runnable wake = ready;
    ready = null;
    return wake;
  }

  /** Blocking until the bytes at {@code position} arrived: the window holding them, readable now. */
  private ReadWindow await(long position) throws IOException {
    synchronized (this) {
      while (readableNow(position) <= 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the store");
        }
      }
      return moveTo(position);
    }
  }

  /** Reads what arrived from {@code position} (at most to the end of its window); blocks until some has. */
  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (position >= size) return -1;
    if (!dst.hasRemaining()) return 0;
    return await(position).read(dst, position);
  }

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
    return await(position).transferTo(position, Math.min(count, size - position), target);
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

  /** Deletes the held windows and stops a fetch in flight; wakes blocked readers, which then fail. */
  @Override
  protected synchronized void implCloseChannel() {
    held.values().forEach(ReadWindow::drop);
    held.clear();
    ready = null;
    notifyAll();
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
