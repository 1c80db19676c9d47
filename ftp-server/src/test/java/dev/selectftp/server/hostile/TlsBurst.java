package dev.selectftp.server.hostile;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.net.KeytoolTls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code count} clients connect at the same moment, each upgrading to TLS and asking one request over it;
 * the loop's pass figures during the burst come from the server's {@code stats}. Shared by the scaled-down
 * test and the full-scale bench ({@link TlsBurstBench}).
 */
final class TlsBurst {
  /** What a burst measured: clients that completed, wall time, and the loop's passes meanwhile. */
  record Result(int completed, double seconds, Response.ServerStats loop, double loopCpuMillis) {
    @Override
    public String toString() {
      return String.format("%d TLS connects: %d completed in %.2f s; loop max pass %.2f ms, p99 %.2f ms over %d passes;"
          + " loop thread CPU %.1f ms (%.0f us per connect)", loop.connections(), completed, seconds,
          loop.maxPassMicros() / 1e3, loop.p99PassMicros() / 1e3, loop.loopPasses(), loopCpuMillis,
          loopCpuMillis * 1e3 / loop.connections());
    }
  }

  /** CPU time of the server's loop thread (same process), or -1 when it cannot be found. */
  static long loopCpuNanos() {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("ftp-loop")) return threads.getThreadCpuTime(t.getId());
    }
    return -1;
  }

  private TlsBurst() {}

  /** @param tls the client side of TLS, or null for the same burst in plain text (the baseline) */
  static Result run(int port, KeytoolTls tls, int count) throws Exception {
    Attackers.stats(port); // resets the pass figures
    ExecutorService clients = Executors.newFixedThreadPool(count);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> done = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        done.add(clients.submit(() -> {
          go.await();
          try (RawClient c = tls == null ? RawClient.connect(port) : RawClient.connect(port).startTls(tls)) {
            c.send(new Request.Quit());
            return c.next() instanceof Response.Bye;
          }
        }));
      }
      long cpu = loopCpuNanos();
      long t = System.nanoTime();
      go.countDown();
      int completed = 0;
      for (Future<Boolean> f : done) {
        try {
          if (f.get(60, TimeUnit.SECONDS)) completed++;
        } catch (java.util.concurrent.ExecutionException e) {
          System.out.println("[tls-burst] a client failed: " + e.getCause());
        }
      }
      double seconds = (System.nanoTime() - t) / 1e9;
      double loopCpuMillis = (loopCpuNanos() - cpu) / 1e6;
      Response.ServerStats stats = Attackers.stats(port);
      return new Result(completed, seconds, new Response.ServerStats(stats.status(), stats.message(), count,
          stats.loopPasses(), stats.maxPassMicros(), stats.p99PassMicros(), stats.heapUsedBytes()), loopCpuMillis);
    } finally {
      clients.shutdownNow();
    }
  }
}
