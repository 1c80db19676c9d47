package dev.selectftp.server.storage.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * The windows of one download from S3 ({@link ObjectReadChannel}): the object is fetched in
 * {@link #WINDOW_BYTES} windows ({@link ReadWindow}), one GET at a time on the spool's fetcher threads,
 * starting at the first position read, at most {@link #MAX_WINDOWS} from the reader's on, and a window is
 * deleted once the reader passed it. So the first byte waits for one chunk of one GET, a resumed download
 * never fetches what it skips, and a download holds at most {@code MAX_WINDOWS * WINDOW_BYTES} of spool
 * however large the file or slow the client. A read at a position that is not held (a resume that starts
 * over at 0) drops the windows and fetches from there.
 *
 * <p><b>Threads.</b> Every method may be called from any thread; the state is guarded by this object's lock.
 * {@link #readable} never waits, {@link #await} does. A close stops a fetch in flight within one chunk and
 * deletes its window. A failed fetch fails every later call with its IOException.
 */
final class ReadAheadWindows {
  /** One ranged GET: large enough that a request's round trip is a small part of it, small on the spool. */
  static final long WINDOW_BYTES = 8L * 1024 * 1024;
  /** Windows held per download (the reader's and the next): one is read while the next is fetched. */
  static final int MAX_WINDOWS = 2;

  private final ObjectVersion version;
  private final long size;
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
  private boolean closed;

  ReadAheadWindows(ObjectVersion version, long size, Spool spool) {
    this.version = version;
    this.size = size;
    this.spool = spool;
  }

  /**
   * Bytes readable at {@code position} (below the size) now, after moving the reader there; on 0,
   * {@code ready} (unless null) runs once when some arrived or the fetch failed ({@code ReadAhead.readable}).
   *
   * @throws IOException the fetch failed, or this was closed ({@link ClosedChannelException})
   */
  synchronized long readable(long position, Runnable ready) throws IOException {
    long n = readableNow(position);
    if (n > 0) return n;
    if (ready != null) this.ready = ready;
    return 0;
  }

  /**
   * Blocking until some bytes at {@code position} (below the size) arrived: the window holding them, of which
   * at least one byte at {@code position} is readable.
   *
   * @throws IOException the fetch failed, this was closed meanwhile, or the thread was interrupted
   */
  synchronized ReadWindow await(long position) throws IOException {
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

  /** Under the lock: bytes readable at {@code position} now, after moving the reader there. */
  private long readableNow(long position) throws IOException {
    if (closed) throw new ClosedChannelException();
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
    // The next window is not held either: at its start, starting over asks the same range; inside, from the position.
    if (index < 0 || !held.containsKey(index)) {
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
    if (fetching || failure != null || closed) return;
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
    try {
      version.fill(window, this::arrived);
    } catch (IOException e) {
      failed = e;
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

  /** Deletes the held windows and stops a fetch in flight; wakes blocked readers, which then fail. Safe twice. */
  synchronized void close() {
    closed = true;
    held.values().forEach(ReadWindow::drop);
    held.clear();
    ready = null;
    notifyAll();
  }
}
