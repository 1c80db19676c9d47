package dev.selectftp.client.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one bench run, as a human summary and as one JSON object (the summary's last line).
 * Rates are decimal: 1 MB/s = 10^6 bytes per second, the unit {@code openssl speed} and iperf3 use.
 */
final class Report {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What was asked for, echoed into the report. */
  record Setup(String host, int port, int clients, List<String> ops, long sizeBytes, String limit, int users,
      int keepOpen) {}

  /** The {@code --keep-open} phase: how many idle sessions, and what they cost the server's heap. */
  record KeepOpen(int requested, int opened, Map<String, Integer> failures, double openSeconds,
      long heapBeforeBytes, long heapAfterBytes, boolean heapAfterGc) {
    long heapPerConnection() {
      return opened == 0 ? 0 : (heapAfterBytes - heapBeforeBytes) / opened;
    }
  }

  private final Setup setup;
  private final Tally tally;
  private final double seconds;
  private final Map<String, Object> server;
  private final KeepOpen keepOpen;

  Report(Setup setup, Tally tally, double seconds, Map<String, Object> server, KeepOpen keepOpen) {
    this.setup = setup;
    this.tally = tally;
    this.seconds = seconds;
    this.server = server;
    this.keepOpen = keepOpen;
  }

  double megabytesPerSecond() {
    return seconds <= 0 ? 0 : (tally.bytesDown + tally.bytesUp) / seconds / 1e6;
  }

  double filesPerSecond() {
    return seconds <= 0 ? 0 : (tally.filesDown + tally.filesUp) / seconds;
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tool", "selectftp-bench");
    m.put("server", setup.host() + ":" + setup.port());
    m.put("clients", setup.clients());
    m.put("users", setup.users());
    m.put("ops", setup.ops());
    m.put("sizeBytes", setup.sizeBytes());
    m.put("limit", setup.limit());
    m.put("seconds", round(seconds, 3));
    m.put("iterations", tally.iterations);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("mbPerSec", round(megabytesPerSecond(), 1));
    t.put("filesPerSec", round(filesPerSecond(), 1));
    t.put("bytesDown", tally.bytesDown);
    t.put("bytesUp", tally.bytesUp);
    t.put("filesDownVerified", tally.filesDown);
    t.put("filesUpVerified", tally.filesUp);
    t.put("opsPerSec", round(seconds <= 0 ? 0 : tally.iterations / seconds, 1));
    m.put("throughput", t);
    Map<String, Object> lat = new LinkedHashMap<>();
    tally.summaries().forEach((step, s) -> {
      if (s.count() > 0) lat.put(step.key, s.toJson());
    });
    m.put("latencyMs", lat);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("total", tally.failureCount());
    f.put("byKind", tally.failures);
    f.put("reconnects", tally.reconnects);
    m.put("failures", f);
    if (keepOpen != null) {
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("requested", keepOpen.requested());
      k.put("opened", keepOpen.opened());
      k.put("failures", keepOpen.failures());
      k.put("openSeconds", round(keepOpen.openSeconds(), 2));
      k.put("heapBeforeBytes", keepOpen.heapBeforeBytes());
      k.put("heapAfterBytes", keepOpen.heapAfterBytes());
      k.put("heapAfterGc", keepOpen.heapAfterGc());
      k.put("heapPerConnectionBytes", keepOpen.heapPerConnection());
      m.put("keepOpen", k);
    }
    m.put("serverStats", server);
    return m;
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(toMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The human summary, several lines, without the JSON line. */
  String toHuman() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "SelectFTP bench: %s:%d, %d clients (%d users), ops %s, size %d bytes, %s%n",
        setup.host(), setup.port(), setup.clients(), setup.users(), String.join(",", setup.ops()),
        setup.sizeBytes(), setup.limit()));
    b.append(String.format(Locale.ROOT, "  %.2f s, %d passes over the ops (%.1f/s)%n", seconds, tally.iterations,
        seconds <= 0 ? 0 : tally.iterations / seconds));
    b.append(String.format(Locale.ROOT, "  throughput: %.1f MB/s, %.1f files/s (%d down, %d up, all verified)%n",
        megabytesPerSecond(), filesPerSecond(), tally.filesDown, tally.filesUp));
    b.append(String.format(Locale.ROOT, "  %-34s %8s %9s %9s %9s %9s%n", "latency (ms)", "count", "p50", "p90",
        "p99", "max"));
    tally.summaries().forEach((step, s) -> {
      if (s.count() == 0) return;
      b.append(String.format(Locale.ROOT, "  %-34s %8d %9.3f %9.3f %9.3f %9.3f%n", step.label, s.count(),
          Latencies.Summary.millis(s.p50()), Latencies.Summary.millis(s.p90()),
          Latencies.Summary.millis(s.p99()), Latencies.Summary.millis(s.max())));
    });
    b.append(String.format(Locale.ROOT, "  failures: %d %s%n", tally.failureCount(),
        tally.failures.isEmpty() ? "" : tally.failures.toString()));
    if (keepOpen != null) {
      b.append(String.format(Locale.ROOT,
          "  keep-open: %d of %d idle sessions opened in %.1f s; server heap %.1f -> %.1f MiB%s, %d bytes per connection%n",
          keepOpen.opened(), keepOpen.requested(), keepOpen.openSeconds(), keepOpen.heapBeforeBytes() / 1048576.0,
          keepOpen.heapAfterBytes() / 1048576.0, keepOpen.heapAfterGc() ? " (after GC)" : " (no GC hook: noisy)",
          keepOpen.heapPerConnection()));
    }
    if (server != null) {
      Object loop = server.get("loop");
      if (loop instanceof Map<?, ?> l) {
        b.append(String.format(Locale.ROOT, "  server loop: longest pass %s us, worst 1 s window p99 %s us%n",
            l.get("maxPassMicros"), l.get("p99PassMicrosWorstWindow")));
      }
      b.append(String.format(Locale.ROOT, "  server heap: before %s, after %s bytes; connections at end %s%n",
          server.get("heapBeforeBytes"), server.get("heapAfterBytes"), server.get("connectionsAtEnd")));
    }
    return b.toString();
  }

  static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
