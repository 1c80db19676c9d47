package dev.selectftp.server;

import dev.selectftp.common.Response;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.LoopStats;
import dev.selectftp.server.loop.Selectable;
import dev.selectftp.server.net.Connection;
import dev.selectftp.server.net.ConnectionCaps;
import dev.selectftp.server.net.ConnectionLimits;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections of both doors, looked after on the loop: their login, idle and frame deadlines
 * checked every {@link #SWEEP_NANOS}, the loop's figures logged every {@link #STATS_LOG_NANOS} and reported
 * to the admin ({@link #stats}), the bytes they buffer summed, and their drain at shutdown. Loop-thread
 * confined.
 */
final class ConnectionUpkeep {
  private static final Logger log = LoggerFactory.getLogger(ConnectionUpkeep.class);
  /** How often login and idle deadlines are checked. */
  private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** How often the loop's own figures go to the server log. */
  private static final long STATS_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** How often a draining server looks whether its transfers have finished. */
  private static final long DRAIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final EventLoop loop;
  private final ServerConfig config;
  /** One count of connections for both doors. */
  private final ConnectionCaps caps;

  ConnectionUpkeep(EventLoop loop, ServerConfig config, ConnectionCaps caps) {
    this.loop = loop;
    this.config = config;
    this.caps = caps;
  }

  /** Schedules the deadline sweep and the figures' log line; both reschedule themselves. */
  void start() {
    loop.schedule(SWEEP_NANOS, this::sweepTimeouts);
    loop.schedule(STATS_LOG_NANOS, this::logStats);
  }

  /** On the loop: the figures for the admin's stats request; starts a new measuring period. */
  Response.ServerStats stats() {
    LoopStats.Snapshot s = loop.stats().snapshot();
    loop.stats().reset();
    Runtime rt = Runtime.getRuntime();
    return new Response.ServerStats(Response.OK, "ok", caps.connections(), s.totalPasses(), s.maxMicros(),
        s.p99Micros(), rt.totalMemory() - rt.freeMemory());
  }

  /** On the loop: the heap the open connections hold for their peers' bytes. */
  long bufferedBytes() {
    long total = 0;
    for (Selectable s : loop.attachments()) {
      if (s instanceof Connection c) total += c.bufferedBytes();
    }
    return total;
  }

  private void sweepTimeouts() {
    long now = System.nanoTime();
    long login = config.loginTimeout().toNanos();
    long idle = config.idleTimeout().toNanos();
    // A frame may take the frame timeout, or the idle timeout when that is shorter (tests shorten it).
    long frame = Math.min(ConnectionLimits.FRAME_TIMEOUT.toNanos(), idle);
    for (Selectable s : loop.attachments()) {
      if (s instanceof Connection c) c.checkTimeouts(now, login, idle, frame);
    }
    loop.schedule(SWEEP_NANOS, this::sweepTimeouts);
  }

  private void logStats() {
    LoopStats.Snapshot s = loop.stats().snapshot();
    Runtime rt = Runtime.getRuntime();
    log.info("loop: {} connections, longest pass {} us, p99 {} us, heap {} MiB", caps.connections(),
        s.maxMicros(), s.p99Micros(), (rt.totalMemory() - rt.freeMemory()) >> 20);
    loop.schedule(STATS_LOG_NANOS, this::logStats);
  }

  /**
   * On the loop: asks every connection to drain (idle sessions are told the server is going away) and looks
   * again every {@link #DRAIN_CHECK_NANOS} until none is busy or {@code deadlineNanos} passed; then counts
   * {@code drained} down.
   */
  void drainUntil(long deadlineNanos, CountDownLatch drained) {
    int busy = 0;
    for (Selectable s : loop.attachments()) {
      if (s instanceof Connection c && c.drain()) busy++;
    }
    if (busy == 0 || System.nanoTime() - deadlineNanos >= 0) {
      if (busy > 0) log.info("shutdown: closing {} unfinished transfers; they resume after restart", busy);
      drained.countDown();
      return;
    }
    loop.schedule(DRAIN_CHECK_NANOS, () -> drainUntil(deadlineNanos, drained));
  }
}
