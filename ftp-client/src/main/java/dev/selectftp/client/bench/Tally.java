package dev.selectftp.client.bench;

import dev.selectftp.client.FtpException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What one client thread measured; merged into a {@link Report} at the end. Not thread-safe. */
final class Tally {
  /** The measured steps, in the order the summary shows them. */
  enum Step {
    LOGIN("login", "connect + SCRAM login"),
    LIST("list", "list"),
    GET_FIRST_BYTE("getFirstByte", "get: request to get-ready"),
    GET("get", "get: whole verified transfer"),
    PUT_FIRST_BYTE("putFirstByte", "put: request to first byte sent"),
    PUT("put", "put: whole verified transfer"),
    SESSION("session", "login + ops + quit");

    final String key;
    final String label;

    Step(String key, String label) {
      this.key = key;
      this.label = label;
    }
  }

  final Latencies[] latencies = new Latencies[Step.values().length];
  long bytesDown;
  long bytesUp;
  long filesDown;
  long filesUp;
  long iterations;
  long reconnects;
  final Map<String, Integer> failures = new TreeMap<>();

  Tally() {
    for (int i = 0; i < latencies.length; i++) latencies[i] = new Latencies();
  }

  void record(Step step, long nanos) {
    latencies[step.ordinal()].add(nanos);
  }

  void fail(String kind) {
    failures.merge(kind, 1, Integer::sum);
  }

  /** A stable name for a failure: the server's error code, or the kind of local/network trouble. */
  static String kindOf(String op, Throwable e) {
    String what;
    if (e instanceof FtpException f) {
      what = f.code() != null ? f.code().code() : "refused";
    } else if (e instanceof SocketTimeoutException) {
      what = "timeout";
    } else if (e instanceof ConnectException) {
      what = "connect-refused";
    } else if (e instanceof IOException) {
      String m = String.valueOf(e.getMessage()).toLowerCase();
      if (m.contains("reset")) what = "connection-reset";
      else if (m.contains("connection lost") || m.contains("closed") || m.contains("eof")) what = "connection-lost";
      else what = "io-" + e.getClass().getSimpleName();
    } else {
      what = "bug-" + e.getClass().getSimpleName();
    }
    return op + ":" + what;
  }

  /** Sums {@code parts}. */
  static Tally merge(List<Tally> parts) {
    Tally all = new Tally();
    for (Step step : Step.values()) {
      all.latencies[step.ordinal()] = Latencies.merge(parts.stream().map(t -> t.latencies[step.ordinal()]).toList());
    }
    for (Tally t : parts) {
      all.bytesDown += t.bytesDown;
      all.bytesUp += t.bytesUp;
      all.filesDown += t.filesDown;
      all.filesUp += t.filesUp;
      all.iterations += t.iterations;
      all.reconnects += t.reconnects;
      t.failures.forEach((k, v) -> all.failures.merge(k, v, Integer::sum));
    }
    return all;
  }

  int failureCount() {
    return failures.values().stream().mapToInt(Integer::intValue).sum();
  }

  Map<Step, Latencies.Summary> summaries() {
    return java.util.Arrays.stream(Step.values()).collect(Collectors.toMap(Function.identity(),
        s -> latencies[s.ordinal()].summarize(), (a, b) -> a, () -> new java.util.EnumMap<>(Step.class)));
  }
}
