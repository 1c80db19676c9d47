package dev.selectftp.client.bench;

import dev.selectftp.common.Sizes;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the sizes ({@code 1MiB}, {@code 512KB}, {@code 4096}) and durations ({@code 30s}) bench accepts. */
final class Units {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private Units() {}

  /** Bytes: a plain number, or with B, KB/KiB, MB/MiB, GB/GiB, TB/TiB (KB = 1000, KiB = 1024). */
  static long parseSize(String text) {
    return Sizes.parse(text);
  }

  /** A duration: {@code 500ms}, {@code 30s} (the default unit), {@code 2m}, {@code 1h}. */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) throw new IllegalArgumentException("not a duration: " + text + " (try 30s, 500ms, 2m)");
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
