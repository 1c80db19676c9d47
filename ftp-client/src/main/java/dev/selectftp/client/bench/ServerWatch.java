package dev.selectftp.client.bench;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Polls the server's {@code stats} over its own connection. Each reply covers the loop passes since the
 * previous call, so polling every second and keeping the worst window gives "longest pass" and "p99 pass"
 * throughout the run. Samples are labelled with a phase; windows that contain a forced GC (the
 * {@code --before-stats} hook) are labelled {@link #EXCLUDED} and left out of the loop figures.
 */
final class ServerWatch implements AutoCloseable {
  static final String EXCLUDED = "excluded";

  /** One stats reply and the phase it describes. */
  record Sample(String phase, long atMillis, Response.ServerStats stats) {}

  private final String host;
  private final int port;
  private final Duration timeout;
  private final long started = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final ClientTls tls;
  private FtpClient client;
  private volatile String phase = "setup";
  private Thread poller;
  private volatile boolean stopping;
  private int errors;

  ServerWatch(String host, int port, Duration timeout, ClientTls tls) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.timeout = timeout;
  }

  void phase(String name) {
    phase = name;
  }

  /** Takes one sample now, labelled with the current phase (or {@code label} when not null). */
  synchronized Sample sample(String label) {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        if (client == null || !client.isOpen()) client = FtpClient.connect(host, port, timeout, tls);
        Response.ServerStats stats = client.stats();
        Sample s = new Sample(label != null ? label : phase,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), stats);
        samples.add(s);
        return s;
      } catch (IOException e) {
        errors++;
        if (client != null) client.close();
        client = null;
      }
    }
    return null;
  }

  /** Samples every {@code every} on a daemon thread until {@link #close}. */
  void startPolling(Duration every) {
    poller = new Thread(() -> {
      while (!stopping) {
        try {
          Thread.sleep(every.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        if (!stopping) sample(null);
      }
    }, "bench-stats");
    poller.setDaemon(true);
    poller.start();
  }

  void stopPolling() {
    stopping = true;
    if (poller != null) {
      poller.interrupt();
      try {
        poller.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Worst window per phase and overall (excluded windows left out), as JSON-ready maps. */
  synchronized Map<String, Object> loopFigures() {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, long[]> byPhase = new LinkedHashMap<>();
    long max = 0;
    long p99 = 0;
    int windows = 0;
    // The first sample only resets the server's window; what it reports predates the bench.
    for (int i = 1; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (s.phase().equals(EXCLUDED)) continue;
      long[] f = byPhase.computeIfAbsent(s.phase(), k -> new long[3]);
      f[0] = Math.max(f[0], s.stats().maxPassMicros());
      f[1] = Math.max(f[1], s.stats().p99PassMicros());
      f[2]++;
      max = Math.max(max, s.stats().maxPassMicros());
      p99 = Math.max(p99, s.stats().p99PassMicros());
      windows++;
    }
    out.put("maxPassMicros", max);
    out.put("p99PassMicrosWorstWindow", p99);
    out.put("windows", windows);
    Map<String, Object> phases = new LinkedHashMap<>();
    byPhase.forEach((name, f) -> phases.put(name,
        Map.of("maxPassMicros", f[0], "p99PassMicrosWorstWindow", f[1], "windows", f[2])));
    out.put("phases", phases);
    out.put("statsErrors", errors);
    return out;
  }

  @Override
  public void close() {
    stopPolling();
    synchronized (this) {
      if (client != null) client.close();
    }
  }
}
