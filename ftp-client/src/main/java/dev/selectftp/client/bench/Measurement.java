package dev.selectftp.client.bench;

import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bench run from the first server reading to the report: reads the server's stats and heap before,
 * opens the {@code --keep-open} idle sessions, runs the warm-up and the measured {@link Workload} rounds
 * while a {@link ServerWatch} polls the server, reads the server again, and prints the {@link Report}.
 */
final class Measurement {
  private final Plan plan;
  private final ClientTls tls;
  private final Fixtures fixtures;
  private final Workload workload;
  private final PrintStream out;
  private final PrintStream err;

  Measurement(Plan plan, ClientTls tls, Fixtures fixtures, PrintStream out, PrintStream err) {
    this.plan = plan;
    this.tls = tls;
    this.fixtures = fixtures;
    this.workload = new Workload(plan, tls, fixtures, err);
    this.out = out;
    this.err = err;
  }

  /** Runs the bench and prints its report; returns the exit status (0: no operation failed). */
  int run() throws Exception {
    ServerWatch watch = new ServerWatch(plan.host(), plan.port(), plan.replyTimeout(), tls);
    ExecutorService pool = null;
    List<IdleConnection> idle = Collections.synchronizedList(new ArrayList<>());
    try {
      Map<String, Object> server = new LinkedHashMap<>();
      beforeHeapReading();
      ServerWatch.Sample start = watch.sample(ServerWatch.EXCLUDED);
      if (start == null) throw new IOException("stats did not answer");
      server.put("before", statsMap(start.stats()));

      Report.KeepOpen keep = null;
      if (plan.keepOpen() > 0) {
        watch.phase("keep-open");
        watch.startPolling(plan.statsEvery());
        keep = openIdle(idle, start.stats().heapUsedBytes(), watch);
      } else {
        watch.startPolling(plan.statsEvery());
      }

      pool = Executors.newFixedThreadPool(plan.clients(), r -> {
        Thread t = new Thread(null, r, "bench-client", 256 * 1024);
        t.setDaemon(true);
        return t;
      });
      if (plan.warmup() > 0) {
        watch.phase(ServerWatch.EXCLUDED);
        Tally discarded = workload.round(pool, plan.warmup()).tally();
        if (discarded.failureCount() > 0) err.println("warning: the warm-up had failures: " + discarded.failureCount());
      }
      watch.phase("run");
      Workload.Round measured = workload.round(pool, plan.requests());
      double seconds = measured.seconds();
      watch.stopPolling();
      ServerWatch.Sample end = watch.sample("run");
      Tally all = measured.tally();

      server.put("loop", watch.loopFigures());
      if (end != null) server.put("afterRun", statsMap(end.stats()));
      beforeHeapReading();
      ServerWatch.Sample heapEnd = watch.sample(ServerWatch.EXCLUDED);
      server.put("heapBeforeBytes", start.stats().heapUsedBytes());
      server.put("heapAfterBytes", heapEnd != null ? heapEnd.stats().heapUsedBytes() : -1);
      server.put("heapAfterGc", plan.beforeStats() != null);
      server.put("connectionsAtEnd", heapEnd != null ? heapEnd.stats().connections() : -1);
      if (keep != null) {
        int stillOpen = (int) idle.stream().filter(IdleConnection::isOpen).count();
        server.put("keepOpenStillOpenAtEnd", stillOpen);
      }

      Report report = new Report(new Report.Setup(plan.host(), plan.port(), plan.clients(), plan.opNames(),
          plan.sizeBytes(), plan.limit(), plan.users().size(), plan.keepOpen()), all, seconds, server, keep);
      out.print(report.toHuman());
      out.println(report.toJson());
      out.flush();
      return all.failureCount() == 0 && (keep == null || keep.opened() == plan.keepOpen()) ? 0 : 1;
    } finally {
      if (pool != null) pool.shutdownNow();
      for (IdleConnection c : idle) c.close();
      watch.close();
      fixtures.cleanUpRemote();
    }
  }

  private static Map<String, Object> statsMap(Response.ServerStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connections", s.connections());
    m.put("loopPasses", s.loopPasses());
    m.put("maxPassMicros", s.maxPassMicros());
    m.put("p99PassMicros", s.p99PassMicros());
    m.put("heapUsedBytes", s.heapUsedBytes());
    return m;
  }

  /** Opens {@code --keep-open} idle sessions, then reads the server heap they cost. */
  private Report.KeepOpen openIdle(List<IdleConnection> idle, long heapBefore, ServerWatch watch)
      throws InterruptedException {
    long t0 = System.nanoTime();
    int keepOpen = plan.keepOpen();
    List<String> users = plan.users();
    int threads = Math.min(32, keepOpen);
    ExecutorService openers = Executors.newFixedThreadPool(threads);
    Map<String, Integer> failures = new TreeMap<>();
    AtomicLong next = new AtomicLong();
    char[] pw = plan.password().toCharArray();
    int timeoutMillis = Math.toIntExact(plan.replyTimeout().toMillis());
    for (int t = 0; t < threads; t++) {
      openers.submit(() -> {
        long i;
        while ((i = next.getAndIncrement()) < keepOpen) {
          try {
            String user = users.get((int) (i % users.size()));
            idle.add(IdleConnection.open(plan.host(), plan.port(), user, pw, timeoutMillis, tls));
          } catch (IOException | RuntimeException e) {
            synchronized (failures) {
              failures.merge(Tally.kindOf("keep-open", e), 1, Integer::sum);
            }
          }
        }
      });
    }
    openers.shutdown();
    openers.awaitTermination(1, TimeUnit.HOURS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    watch.sample(null); // closes the opening phase's window before any GC hook
    beforeHeapReading();
    ServerWatch.Sample after = watch.sample(ServerWatch.EXCLUDED);
    long heapAfter = after != null ? after.stats().heapUsedBytes() : -1;
    if (!failures.isEmpty()) err.println("keep-open failures: " + failures);
    return new Report.KeepOpen(keepOpen, idle.size(), failures, seconds, heapBefore, heapAfter,
        plan.beforeStats() != null);
  }

  private void beforeHeapReading() {
    String beforeStats = plan.beforeStats();
    if (beforeStats == null) return;
    try {
      Process p = new ProcessBuilder("sh", "-c", beforeStats).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroy();
      Thread.sleep(200);
    } catch (IOException e) {
      err.println("warning: --before-stats failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
