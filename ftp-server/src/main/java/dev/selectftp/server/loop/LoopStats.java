package dev.selectftp.server.loop;

/**
 * Durations of the loop's passes (from select's return to the next select call), as a histogram with
 * one bucket per 10 microseconds up to {@link #MAX_TRACKED_MICROS}, so p99 costs no allocation.
 * Confined to the loop thread except {@link #snapshot}, which may race harmlessly.
 */
public final class LoopStats {
  /** Passes longer than this land in the last bucket; their exact value still feeds {@code max}. */
  public static final int MAX_TRACKED_MICROS = 100_000;
  private static final int BUCKET_MICROS = 10;

  private final long[] buckets = new long[MAX_TRACKED_MICROS / BUCKET_MICROS + 1];
  private long passes;
  private long totalPasses;
  private long maxMicros;

  /** Figures since the previous {@link #reset}. */
  public record Snapshot(long passes, long totalPasses, long maxMicros, long p99Micros) {}

  void record(long nanos) {
    long micros = nanos / 1_000;
    buckets[(int) Math.min(micros / BUCKET_MICROS, buckets.length - 1)]++;
    passes++;
    totalPasses++;
    if (micros > maxMicros) maxMicros = micros;
  }

  public Snapshot snapshot() {
    return new Snapshot(passes, totalPasses, maxMicros, percentile(0.99));
  }

  public void reset() {
    java.util.Arrays.fill(buckets, 0);
    passes = 0;
    maxMicros = 0;
  }

  private long percentile(double p) {
    if (passes == 0) return 0;
    long rank = (long) Math.ceil(passes * p);
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) return Math.min((long) (i + 1) * BUCKET_MICROS, maxMicros);
    }
    return maxMicros;
  }
}
