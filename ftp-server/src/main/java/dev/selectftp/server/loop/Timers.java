package dev.selectftp.server.loop;

import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deadlines run by the loop thread between selects: the loop's replacement for sleeping. */
final class Timers {
  private static final Logger log = LoggerFactory.getLogger(Timers.class);
  private record Timer(long deadlineNanos, long sequence, Runnable task) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(deadlineNanos, o.deadlineNanos);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }

  private final PriorityQueue<Timer> queue = new PriorityQueue<>();
  private long sequence;

  void schedule(long deadlineNanos, Runnable task) {
    queue.add(new Timer(deadlineNanos, sequence++, task));
  }

  /** Milliseconds until the next deadline for {@code Selector.select(long)}: 0 means block, so at least 1. */
  long millisUntilNext(long nowNanos, long maxMillis) {
    Timer next = queue.peek();
    if (next == null) return maxMillis;
    long millis = (next.deadlineNanos - nowNanos + 999_999) / 1_000_000;
    return Math.max(1, Math.min(maxMillis, millis));
  }

  /**
   * Runs every timer due by {@code nowNanos}; a task may schedule more. A task's RuntimeException is logged
   * and the others still run: only an Error may end the loop.
   */
  void runDue(long nowNanos) {
    Timer next;
    while ((next = queue.peek()) != null && next.deadlineNanos - nowNanos <= 0) {
      try {
        queue.poll().task.run();
      } catch (RuntimeException e) {
        log.error("timer task failed", e);
      }
    }
  }
}
