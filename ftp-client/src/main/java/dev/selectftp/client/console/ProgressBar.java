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
  /** Of a summary's time: enough that size / time matches the rate shown to within about 1%. */
  private static final int SIGNIFICANT_DIGITS = 3;
  /** Down to microseconds; nothing measures a transfer closer than that. */
  private static final int MAX_DECIMALS = 6;

  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier nanoClock;
  private final String verb;
  private String name = "";
  private boolean started;
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
    this.started = true;
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

  /** Shows {@code label} in place of the file's name from the next redraw on (a mirror counts files there). */
  void relabel(String label) {
    this.name = label;
  }

  /** The transfer stopped half-way: ends a live line so that the next message starts on its own line. */
  public void abandon() {
    if (terminal && lastLineLength > 0) {
      out.println();
      lastLineLength = 0;
    }
  }

  /**
   * Prints the one-line outcome: {@code put big.iso: 1.0 GiB in 3.20 s (320.0 MiB/s), sha256 ...}. A resumed
   * transfer counts only the bytes moved this time, so that size / time = rate, then says where it resumed
   * and the whole size: {@code get big.iso: 512.0 MiB in 1.60 s (320.0 MiB/s), resumed from byte 536870912
   * (1.0 GiB in total), sha256 ...}.
   */
  public void summary(String sha256) {
    long elapsedNanos = Math.max(0, (endNanos != 0 ? endNanos : nanoClock.getAsLong()) - startNanos);
    long moved = total - resumedFrom;
    StringBuilder line = new StringBuilder()
        .append(verb).append(' ').append(name).append(": ").append(HumanSize.bytes(moved))
        .append(" in ").append(seconds(elapsedNanos)).append(" s");
    if (elapsedNanos > 0) line.append(" (").append(HumanSize.rate(rate(moved, elapsedNanos))).append(')');
    if (resumedFrom > 0) {
      line.append(", resumed from byte ").append(resumedFrom)
          .append(" (").append(HumanSize.bytes(total)).append(" in total)");
    }
    line.append(", sha256 ").append(sha256);
    out.println(line);
  }

  /**
   * {@code nanos} in seconds with at least three significant digits ({@code 0.00213}, {@code 0.449},
   * {@code 3.20}, {@code 42.5}, {@code 128}), so that the size divided by the time shown gives the rate
   * shown, within rounding, even for a transfer that takes a few milliseconds.
   */
  static String seconds(long nanos) {
    double seconds = nanos / NANOS_PER_SECOND;
    int decimals = seconds <= 0 ? 1
        : Math.min(MAX_DECIMALS, Math.max(0, SIGNIFICANT_DIGITS - 1 - (int) Math.floor(Math.log10(seconds))));
    return String.format(Locale.ROOT, "%." + decimals + "f", seconds);
  }

  /** True once the bytes started to move (the transfer got past the server's yes). */
  boolean hasStarted() {
    return started;
  }

  /** {@code put} or {@code get}. */
  String verb() {
    return verb;
  }

  /** The file's name (last path segment), once started. */
  String name() {
    return name;
  }

  /** Bytes of the file in place so far, counting a resumed prefix. */
  long done() {
    return done;
  }

  /** The whole file's size, once started. */
  long total() {
    return total;
  }

  /** Bytes that were already in place when this transfer started (0 for a fresh one). */
  long resumedFrom() {
    return resumedFrom;
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
