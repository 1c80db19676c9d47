package dev.selectftp.client.console;

import dev.selectftp.common.Sizes;
import java.time.Duration;
import java.util.Locale;

/** Sizes in binary units (KiB = 1024 B) and short durations, for people rather than programs. */
public final class HumanSize {
  private static final long SECONDS_PER_HOUR = 3600;
  private static final long SECONDS_PER_MINUTE = 60;

  private HumanSize() {}

  /** {@code 0 B}, {@code 1023 B}, {@code 1.0 KiB}, {@code 420.0 MiB}, {@code 1.0 GiB}. */
  public static String bytes(long bytes) {
    return Sizes.formatAligned(bytes);
  }

  /** A rate such as {@code 310.5 MiB/s}. */
  public static String rate(double bytesPerSecond) {
    return bytes(Math.round(bytesPerSecond)) + "/s";
  }

  /** {@code m:ss}, or {@code h:mm:ss} from one hour on. */
  public static String clock(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    long hours = seconds / SECONDS_PER_HOUR;
    long minutes = seconds % SECONDS_PER_HOUR / SECONDS_PER_MINUTE;
    long rest = seconds % SECONDS_PER_MINUTE;
    return hours > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, rest)
        : String.format(Locale.ROOT, "%d:%02d", minutes, rest);
  }
}
