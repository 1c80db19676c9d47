package dev.selectftp.client.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private static final long MIB = 1024 * 1024;
  private static final long GIB = 1024 * MIB;
  private static final long MILLIS = 1_000_000;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong clock = new AtomicLong(5_000 * MILLIS);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void lineShowsBarPercentSizesRateAndEta() {
    ProgressBar bar = new ProgressBar(out, "put", true, clock::get);
    bar.started("big.iso", GIB, 0);
    clock.addAndGet(1_000 * MILLIS);
    bar.progress(GIB / 4);
    assertEquals("big.iso  [##........]   25%  256.0 MiB/1.0 GiB  256.0 MiB/s  ETA 0:03", bar.line());
  }

  @Test
  void rateIgnoresTheResumedPrefix() {
    ProgressBar bar = new ProgressBar(out, "get", true, clock::get);
    bar.started("big.iso", GIB, GIB / 2);
    clock.addAndGet(2_000 * MILLIS);
    bar.progress(GIB / 2 + 256 * MIB);
    assertTrue(bar.line().endsWith("768.0 MiB/1.0 GiB  128.0 MiB/s  ETA 0:02"), bar.line());
  }

  @Test
  void terminalModeRedrawsAtMostEveryHundredMilliseconds() {
    ProgressBar bar = new ProgressBar(out, "put", true, clock::get);
    bar.started("a.bin", 100 * MIB, 0);
    int drawsAfterStart = count(printed(), '\r');
    for (int i = 1; i <= 10; i++) {
      clock.addAndGet(10 * MILLIS);
      bar.progress(i * MIB);
    }
    assertEquals(drawsAfterStart + 1, count(printed(), '\r'), "ten updates within 100 ms draw once");
  }

  @Test
  void terminalModeEndsTheLineWhenFinished() {
    ProgressBar bar = new ProgressBar(out, "put", true, clock::get);
    bar.started("a.bin", MIB, 0);
    clock.addAndGet(500 * MILLIS);
    bar.progress(MIB);
    bar.finished();
    String text = printed();
    assertTrue(text.contains("100%"), text);
    assertTrue(text.endsWith(System.lineSeparator()), text);
  }

  @Test
  void summaryModePrintsNothingUntilTheSummary() {
    ProgressBar bar = new ProgressBar(out, "put", false, clock::get);
    bar.started("big.iso", GIB, 0);
    clock.addAndGet(3_200 * MILLIS);
    bar.progress(GIB / 2);
    bar.progress(GIB);
    bar.finished();
    assertEquals("", printed());
    bar.summary("ab12");
    assertEquals("put big.iso: 1.0 GiB in 3.20 s (320.0 MiB/s), sha256 ab12" + System.lineSeparator(),
        printed());
  }

  @Test
  void summaryMentionsWhereAResumedTransferStarted() {
    ProgressBar bar = new ProgressBar(out, "get", false, clock::get);
    bar.started("big.iso", 2 * MIB, MIB);
    clock.addAndGet(1_000 * MILLIS);
    bar.finished();
    bar.summary("ff");
    assertEquals("get big.iso: 1.0 MiB in 1.00 s (1.0 MiB/s), resumed from byte 1048576 (2.0 MiB in total), "
        + "sha256 ff" + System.lineSeparator(), printed());
  }

  @Test
  void aResumedSummaryCountsOnlyTheBytesMovedThisTimeSoSizeOverTimeIsTheRate() {
    ProgressBar bar = new ProgressBar(out, "put", false, clock::get);
    bar.started("big.iso", 3 * GIB, GIB);
    clock.addAndGet(4_000 * MILLIS);
    bar.progress(3 * GIB);
    bar.finished();
    bar.summary("ab");
    assertEquals("put big.iso: 2.0 GiB in 4.00 s (512.0 MiB/s), resumed from byte 1073741824 (3.0 GiB in total), "
        + "sha256 ab" + System.lineSeparator(), printed());
  }

  @Test
  void aShortTransfersTimeKeepsThreeDigitsSoItsRateAddsUp() {
    ProgressBar bar = new ProgressBar(out, "get", false, clock::get);
    bar.started("big.iso", 300 * MIB, 100 * MIB);
    clock.addAndGet(449 * MILLIS);
    bar.finished();
    bar.summary("cd");
    // 200 MiB / 0.449 s = 445.4 MiB/s; "0.4 s" would have suggested 500 MiB/s.
    assertEquals("get big.iso: 200.0 MiB in 0.449 s (445.4 MiB/s), resumed from byte 104857600 (300.0 MiB in "
        + "total), sha256 cd" + System.lineSeparator(), printed());
    assertEquals("0.00213", ProgressBar.seconds(2_130_000));
    assertEquals("42.5", ProgressBar.seconds(42_500 * MILLIS));
    assertEquals("128", ProgressBar.seconds(128_000 * MILLIS));
  }

  @Test
  void emptyFileIsAtOneHundredPercent() {
    ProgressBar bar = new ProgressBar(out, "put", true, clock::get);
    bar.started("empty", 0, 0);
    assertTrue(bar.line().startsWith("empty  [##########]  100%  0 B/0 B"), bar.line());
  }

  private static int count(String text, char c) {
    return (int) text.chars().filter(ch -> ch == c).count();
  }
}
