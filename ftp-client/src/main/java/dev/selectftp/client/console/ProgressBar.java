package dev.selectftp.client.console;

import dev.selectftp.client.TransferListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows a transfer's progress. On a terminal it redraws one line with {@code '\r'}, at most every
 * {@link #REDRAW_INTERVAL}:
 * <pre>big.iso  [#####.....]  42%  420.0 MiB/1.0 GiB  310.5 MiB/s  ETA 0:02</pre>
 * Otherwise (a pipe, a log) it stays silent. Either way {@link #summary} then prints one line with the
 * outcome and the hash. Rates count only the bytes moved in this session, not a resumed prefix. The clock
 * is injectable so tests can drive time.
 */
public final class ProgressBar implements TransferListener {
  /** Redrawing more often only costs terminal bandwidth; people cannot read faster. */
  static final Duration REDRAW_INTERVAL = Duration.ofMillis(100);
  static final int BAR_WIDTH = 10;
  private static final double NANOS_PER_SECOND = 1e9;

  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier nanoClock;
  private final String verb;
  private String name = "";
  private long total;
  private long resumedFrom;
  private long done;
  private long startNanos;
  private long endNanos;
  private long lastDrawNanos;
  private int lastLineLength;

  /**
   * @param verb {@code put} or {@code get}, starting the summary line
   * @param terminal true to redraw a live line, false to print only the summary
   * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
   */
  public ProgressBar(PrintStream out, String verb, boolean terminal, LongSupplier nanoClock) {
    this.out = out;
    this.verb = verb;
    this.terminal = terminal;
    this.nanoClock = nanoClock;
  }

  @Override
  public void started(String name, long total, long resumedFrom) {
    this.name = name;
    this.total = total;
    this.resumedFrom = resumedFrom;
    this.done = resumedFrom;
    this.startNanos = nanoClock.getAsLong();
    this.lastDrawNanos = startNanos;
    if (terminal) draw();
  }

  @Override
  public void progress(long done) {
    this.done = done;
    if (!terminal) return;
    long now = nanoClock.getAsLong();
    if (now - lastDrawNanos >= REDRAW_INTERVAL.toNanos()) {
      lastDrawNanos = now;
      draw();
    }
  }

  @Override
  public void finished() {
    endNanos = nanoClock.getAsLong();
    if (terminal) {
      done = total;
      draw();
      out.println();
    }
  }

  /** The transfer stopped half-way: ends a live line so that the next message starts on its own line. */
  public void abandon() {
    if (terminal && lastLineLength > 0) {
      out.println();
      lastLineLength = 0;
    }
  }

  /** Prints the one-line outcome: {@code put big.iso: 1.0 GiB in 3.2 s (320.0 MiB/s), sha256 ...}. */
  public void summary(String sha256) {
    long elapsedNanos = Math.max(0, (endNanos != 0 ? endNanos : nanoClock.getAsLong()) - startNanos);
    StringBuilder line = new StringBuilder()
        .append(verb).append(' ').append(name).append(": ").append(HumanSize.bytes(total))
        .append(String.format(Locale.ROOT, " in %.1f s", elapsedNanos / NANOS_PER_SECOND));
    if (elapsedNanos > 0) {
      line.append(" (").append(HumanSize.rate(rate(total - resumedFrom, elapsedNanos))).append(')');
    }
    line.append(", sha256 ").append(sha256);
    if (resumedFrom > 0) line.append(", resumed from byte ").append(resumedFrom);
    out.println(line);
  }

  /** The current progress line, without {@code '\r'}; package-private for tests. */
  String line() {
    long elapsedNanos = nanoClock.getAsLong() - startNanos;
    int percent = total == 0 ? 100 : (int) (done * 100 / total);
    int filled = total == 0 ? BAR_WIDTH : (int) (done * BAR_WIDTH / total);
    StringBuilder line = new StringBuilder(name).append("  [")
        .append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("]  ")
        .append(String.format(Locale.ROOT, "%3d%%", percent)).append("  ")
        .append(HumanSize.bytes(done)).append('/').append(HumanSize.bytes(total));
    long moved = done - resumedFrom;
    if (elapsedNanos > 0 && moved > 0) {
      double rate = rate(moved, elapsedNanos);
      Duration eta = Duration.ofSeconds((long) Math.ceil((total - done) / rate));
      line.append("  ").append(HumanSize.rate(rate)).append("  ETA ").append(HumanSize.clock(eta));
    } else {
      line.append("  --  ETA --:--");
    }
    return line.toString();
  }

  private static double rate(long bytes, long nanos) {
    return bytes * NANOS_PER_SECOND / nanos;
  }

  private void draw() {
    String line = line();
    // Pads with spaces so a shorter line fully covers the previous one.
    int pad = Math.max(0, lastLineLength - line.length());
    out.print("\r" + line + " ".repeat(pad));
    out.flush();
    lastLineLength = line.length();
  }
}
