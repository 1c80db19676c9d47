package dev.selectftp.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The read timeout of every wire in this JVM: one daemon thread that wakes every tick and closes the
 * channel of each wire whose armed read deadline has passed (see {@link ReadDeadline}).
 */
final class Watchdog implements Runnable {
  // Compile-time constants, so that they are set before INSTANCE is built.
  private static final long MIN_TICK_NANOS = 5_000_000L;
  private static final long MAX_TICK_NANOS = 1_000_000_000L;
  static final Watchdog INSTANCE = new Watchdog();

  private final Set<ReadDeadline> deadlines = ConcurrentHashMap.newKeySet();
  private volatile long tickNanos = MAX_TICK_NANOS;
  private Thread thread;

  private Watchdog() {}

  void watch(ReadDeadline deadline) {
    long tick = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, deadline.timeoutNanos() / 8));
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
