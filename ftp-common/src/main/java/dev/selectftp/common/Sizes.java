package dev.selectftp.common;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human sizes: parsing config values like {@code 8MiB} and formatting numbers like {@code 1.2 MiB}. */
public final class Sizes {
  private static final long KIB = 1L << 10;
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  private static final long TIB = 1L << 40;
  /** A number (optionally with a fraction) and an optional unit, with optional space between. */
  private static final Pattern SIZE = Pattern.compile("(\\d{1,30}(?:\\.\\d{1,30})?)\\s*([A-Za-z]{0,3})");
  /** Units by lowercase spelling: IEC and single letters are binary, SI two-letter forms are decimal. */
  private static final Map<String, Long> UNITS = Map.ofEntries(
      Map.entry("", 1L), Map.entry("b", 1L),
      Map.entry("k", KIB), Map.entry("kib", KIB), Map.entry("kb", 1_000L),
      Map.entry("m", MIB), Map.entry("mib", MIB), Map.entry("mb", 1_000_000L),
      Map.entry("g", GIB), Map.entry("gib", GIB), Map.entry("gb", 1_000_000_000L),
      Map.entry("t", TIB), Map.entry("tib", TIB), Map.entry("tb", 1_000_000_000_000L));
  private static final String[] FORMAT_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  private static final int FORMAT_BASE = 1024;

  private Sizes() {}

  /**
   * Parses {@code "1024"}, {@code "512k"}, {@code "8MiB"}, {@code "4 GiB"}, {@code "10MB"}, {@code "1.5G"}.
   * KiB/MiB/GiB/TiB and k/m/g/t are powers of 1024, KB/MB/GB/TB powers of 1000; case does not matter.
   * A fraction is rounded down to whole bytes.
   *
   * @throws IllegalArgumentException for anything else, negative or over {@link Long#MAX_VALUE}
   */
  public static long parse(String text) {
    if (text == null) throw new IllegalArgumentException("size is missing");
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: \"" + text + "\" (expected e.g. 1024, 512k, 8MiB, 10MB)");
    }
    Long unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
    if (unit == null) {
      throw new IllegalArgumentException("unknown size unit \"" + m.group(2) + "\" in \"" + text
          + "\" (use B, k, KiB, KB, m, MiB, MB, g, GiB, GB, t, TiB or TB)");
    }
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("size \"" + text + "\" is too large");
    }
    return bytes.setScale(0, RoundingMode.DOWN).longValueExact();
  }

  /** Formats like {@code "512 B"}, {@code "1.2 MiB"}, {@code "100 MiB"} (one decimal, dropped when .0). */
  public static String format(long bytes) {
    return format(bytes, false);
  }

  /** Like {@link #format} but always with one decimal ({@code "100.0 MiB"}), so columns line up. */
  public static String formatAligned(long bytes) {
    return format(bytes, true);
  }

  private static String format(long bytes, boolean keepDecimal) {
    if (bytes < 0) return "-" + format(bytes == Long.MIN_VALUE ? Long.MAX_VALUE : -bytes, keepDecimal);
    if (bytes < FORMAT_BASE) return bytes + " B";
    BigDecimal value = BigDecimal.valueOf(bytes);
    int unit = 0;
    BigDecimal rounded = value;
    while (unit < FORMAT_UNITS.length - 1) {
      BigDecimal next = value.divide(BigDecimal.valueOf(FORMAT_BASE).pow(unit + 1));
      // Move up while the value would print as 1024 or more in the current unit (1023.96 KiB -> 1 MiB).
      if (next.compareTo(BigDecimal.ONE) < 0 && rounded.setScale(1, RoundingMode.HALF_UP)
          .compareTo(BigDecimal.valueOf(FORMAT_BASE)) < 0) {
        break;
      }
      unit++;
      rounded = next;
    }
    BigDecimal oneDecimal = rounded.setScale(1, RoundingMode.HALF_UP);
    if (!keepDecimal) oneDecimal = oneDecimal.stripTrailingZeros();
    return oneDecimal.toPlainString() + " " + FORMAT_UNITS[unit];
  }
}
