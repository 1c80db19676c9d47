package dev.selectftp.client.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples of one measured step (nanoseconds), kept whole so percentiles are exact. One instance per
 * client thread (not thread-safe); {@link #merge} joins them when the run is over.
 */
final class Latencies {
  private long[] samples = new long[64];
  private int count;

  void add(long nanos) {
    if (count == samples.length) samples = Arrays.copyOf(samples, count * 2);
    samples[count++] = nanos;
  }

  int count() {
    return count;
  }

  static Latencies merge(List<Latencies> parts) {
    Latencies all = new Latencies();
    int total = parts.stream().mapToInt(Latencies::count).sum();
    all.samples = new long[Math.max(total, 1)];
    for (Latencies part : parts) {
      System.arraycopy(part.samples, 0, all.samples, all.count, part.count);
      all.count += part.count;
    }
    return all;
  }

  /** The figures of these samples; all zero when there are none. */
  Summary summarize() {
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    double mean = 0;
    for (long s : sorted) mean += s;
    mean = count == 0 ? 0 : mean / count;
    return new Summary(count, percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99),
        count == 0 ? 0 : sorted[count - 1], (long) mean);
  }

  /**
   * Nearest-rank percentile of ascending {@code sorted}: the smallest sample with at least {@code p} of
   * all samples at or below it. 0 for no samples.
   */
  static long percentile(long[] sorted, double p) {
    if (p <= 0 || p > 1) throw new IllegalArgumentException("p must be in (0, 1]: " + p);
    if (sorted.length == 0) return 0;
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  /** Percentiles in nanoseconds. */
  record Summary(int count, long p50, long p90, long p99, long max, long mean) {
    /** The JSON form: milliseconds with microsecond precision. */
    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", count);
      m.put("p50", millis(p50));
      m.put("p90", millis(p90));
      m.put("p99", millis(p99));
      m.put("max", millis(max));
      m.put("mean", millis(mean));
      return m;
    }

    static double millis(long nanos) {
      return Math.round(nanos / 1_000.0) / 1_000.0;
    }
  }
}
