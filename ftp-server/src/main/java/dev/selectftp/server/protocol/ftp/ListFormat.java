package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.storage.Entry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Listing lines: LIST in the {@code ls -l} form that curl, lftp, FileZilla and ftplib users parse (times in UTC,
 * "Mon dd HH:mm" within six months, else "Mon dd  yyyy", as ls does), NLST as bare names.
 */
final class ListFormat {
  private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ROOT);
  private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM dd  yyyy", Locale.ROOT);
  /** How far back ls prints the time instead of the year. */
  private static final long SIX_MONTHS_SECONDS = 182L * 24 * 3600;

  private ListFormat() {}

  static String line(Entry e, Instant now) {
    ZonedDateTime t = Instant.ofEpochMilli(e.modifiedMillis()).atZone(ZoneOffset.UTC);
    long age = now.getEpochSecond() - t.toEpochSecond();
    String when = (age >= 0 && age < SIX_MONTHS_SECONDS ? RECENT : OLD).format(t);
    String mode = e.dir() ? "drwxr-xr-x" : "-rw-r--r--";
    return String.format(Locale.ROOT, "%s 1 ftp ftp %13d %s %s\r\n", mode, e.size(), when, e.name());
  }

  static String name(Entry e) {
    return e.name() + "\r\n";
  }
}
