package dev.selectftp.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void nearestRankPercentiles() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) sorted[i] = i + 1; // 1..100
    assertEquals(50, Latencies.percentile(sorted, 0.50));
    assertEquals(90, Latencies.percentile(sorted, 0.90));
    assertEquals(99, Latencies.percentile(sorted, 0.99));
    assertEquals(100, Latencies.percentile(sorted, 1.0));
  }

  @Test
  void smallSamplesRoundUp() {
    long[] sorted = {10, 20, 30};
    assertEquals(20, Latencies.percentile(sorted, 0.50)); // rank ceil(1.5) = 2
    assertEquals(30, Latencies.percentile(sorted, 0.90));
    assertEquals(10, Latencies.percentile(new long[] {10}, 0.01));
  }

  @Test
  void emptyIsZeroAndBadPIsRefused() {
    assertEquals(0, Latencies.percentile(new long[0], 0.5));
    assertEquals(new Latencies.Summary(0, 0, 0, 0, 0, 0), new Latencies().summarize());
    assertThrows(IllegalArgumentException.class, () -> Latencies.percentile(new long[] {1}, 0));
    assertThrows(IllegalArgumentException.class, () -> Latencies.percentile(new long[] {1}, 1.5));
  }

  @Test
  void summaryOfUnsortedSamplesAcrossMergedParts() {
    Latencies a = new Latencies();
    Latencies b = new Latencies();
    for (int i = 1000; i >= 1; i--) (i % 2 == 0 ? a : b).add(i * 1_000L); // 1..1000 us, shuffled over two
    Latencies all = Latencies.merge(List.of(a, b, new Latencies()));
    Latencies.Summary s = all.summarize();
    assertEquals(1000, s.count());
    assertEquals(500_000, s.p50());
    assertEquals(900_000, s.p90());
    assertEquals(990_000, s.p99());
    assertEquals(1_000_000, s.max());
    assertEquals(500_500, s.mean());
  }

  @Test
  void growsPastItsFirstArray() {
    Latencies l = new Latencies();
    for (int i = 0; i < 10_000; i++) l.add(7);
    assertEquals(10_000, l.count());
    assertEquals(7, l.summarize().p99());
  }

  @Test
  void jsonIsMillisecondsWithMicrosecondPrecision() {
    Latencies.Summary s = new Latencies.Summary(3, 1_234_567, 2_000_000, 3_000_499, 3_000_500, 10);
    assertEquals(1.235, s.toJson().get("p50"));
    assertEquals(3.0, s.toJson().get("p99"));
    assertEquals(3.001, s.toJson().get("max"));
    assertEquals(0.0, s.toJson().get("mean"));
  }
}
