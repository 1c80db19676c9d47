package dev.selectftp.client;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read timeout of one {@link Wire}. A blocking {@code SocketChannel} ignores {@code SO_TIMEOUT}, so a
 * shared daemon thread (the {@link Watchdog}) enforces it: every blocking read (a reply frame or raw
 * download bytes) arms a deadline of {@code timeout} from its start, and the watchdog closes the channel of
 * a wire whose armed deadline passed. The blocked read then fails, and it is reported as a
 * {@link SocketTimeoutException}, as {@code SO_TIMEOUT} did. Writes have no timeout of their own. A
 * compare-and-set on the deadline decides the race between a read that just returned and the watchdog, so
 * a read that completed in time is never failed. The deadline is checked every {@code timeout / 8} (at least
 * 5 ms, at most 1 s), so a timeout fires between {@code timeout} and {@code 1.125 x timeout} after the read
 * began. Costs a wire two atomic writes per read.
 */
final class ReadDeadline {
  private static final Logger log = LoggerFactory.getLogger(ReadDeadline.class);
  /** Deadline states besides a real {@link System#nanoTime()} deadline. */
  private static final long IDLE = Long.MIN_VALUE;
  private static final long EXPIRED = Long.MIN_VALUE + 1;

  private final SocketChannel channel;
  private final long timeoutNanos;
  private final String peer;
  /** Closes the wire's channel; run on the watchdog's thread. */
  private final Runnable expire;
  /** The armed read's deadline, {@link #IDLE}, or {@link #EXPIRED} once the watchdog closed the channel. */
  private final AtomicLong deadline = new AtomicLong(IDLE);

  /**
   * @param timeoutMillis bounds every read; 0 waits forever, and the watchdog never sees this wire
   * @param expire closes the channel when a read's deadline passed; called from the watchdog's thread
   */
  ReadDeadline(SocketChannel channel, long timeoutMillis, String peer, Runnable expire) {
    this.channel = channel;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.peer = peer;
    this.expire = expire;
  }

  /** Hands this deadline to the watchdog, unless reads wait forever. */
  void watch() {
    if (timeoutNanos > 0) Watchdog.INSTANCE.watch(this);
  }

  void forget() {
    Watchdog.INSTANCE.forget(this);
  }

  /**
   * One blocking socket read under the read deadline: at least one byte, or -1 at the end of the stream. A
   * read the watchdog cut short is a {@link SocketTimeoutException}.
   */
  int read(ByteBuffer into) throws IOException {
    if (timeoutNanos == 0) return channel.read(into);
    deadline.set(System.nanoTime() + timeoutNanos);
    int n;
    try {
      n = channel.read(into);
    } catch (IOException e) {
      if (deadline.getAndSet(IDLE) == EXPIRED) throw timeout(e);
      throw e;
    }
    // The watchdog may have won the race just after the read returned; it is closing the channel then.
    if (deadline.getAndSet(IDLE) == EXPIRED) throw timeout(null);
    return n;
  }

  private SocketTimeoutException timeout(IOException cause) {
    SocketTimeoutException e = new SocketTimeoutException(
        "no bytes from the server for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    if (cause != null) e.initCause(cause);
    return e;
  }

  /** Called by the watchdog: closes the channel when the armed deadline has passed. */
  void expireIfDue(long now) {
    long due = deadline.get();
    if (due == IDLE || due == EXPIRED || now - due < 0) return;
    if (deadline.compareAndSet(due, EXPIRED)) {
      log.debug("no bytes from {} in time; closing", peer);
      expire.run();
    }
  }

  /**
   * The read timeout of every wire in this JVM: one daemon thread that wakes every tick and closes the
   * channel of each wire whose armed read deadline has passed.
   */
  private static final class Watchdog implements Runnable {
    // Compile-time constants, so that they are set before INSTANCE is built.
    private static final long MIN_TICK_NANOS = 5_000_000L;
    private static final long MAX_TICK_NANOS = 1_000_000_000L;
    static final Watchdog INSTANCE = new Watchdog();

    private final Set<ReadDeadline> deadlines = ConcurrentHashMap.newKeySet();
    private volatile long tickNanos = MAX_TICK_NANOS;
    private Thread thread;

    private Watchdog() {}

    void watch(ReadDeadline deadline) {
      long tick = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, deadline.timeoutNanos / 8));
      synchronized (this) {
        if (tick < tickNanos) tickNanos = tick;
        deadlines.add(deadline);
        if (thread == null) {
          thread = new Thread(this, "selectftp-read-timeouts");
          thread.setDaemon(true);
          thread.start();
        } else if (tick < MAX_TICK_NANOS) {
          LockSupport.unpark(thread);
        }
      }
    }

    void forget(ReadDeadline deadline) {
      deadlines.remove(deadline);
    }

    @Override
    public void run() {
      while (true) {
        LockSupport.parkNanos(this, tickNanos);
        long now = System.nanoTime();
        for (ReadDeadline deadline : deadlines) deadline.expireIfDue(now);
      }
    }
  }
}
