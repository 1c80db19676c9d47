package dev.selectftp.client.console;

import dev.selectftp.common.Response;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Formats a listing like {@code ls -l}, one entry a line:
 * <pre>
 * d        -  2026-11-21 18:00  docs
 * -  120.0 KiB  2026-11-21 18:00  readme.txt
 * </pre>
 * Folders come first, then files, each by name (the server sends one name order for both); sizes are
 * right-aligned to the widest; folders show {@code -} for their size.
 */
public final class ListingFormat {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final String UNKNOWN_DATE = "????-??-?? ??:??";

  private final ZoneId zone;

  /** @param zone where the dates are shown; the server sends UTC */
  public ListingFormat(ZoneId zone) {
    this.zone = zone;
  }

  private static final Comparator<Response.Entry> FOLDERS_FIRST =
      Comparator.comparing((Response.Entry e) -> !e.dir()).thenComparing(Response.Entry::name);

  public List<String> lines(List<Response.Entry> unordered) {
    List<Response.Entry> entries = new ArrayList<>(unordered);
    entries.sort(FOLDERS_FIRST);
    List<String> sizes = new ArrayList<>();
    int width = 1;
    for (Response.Entry entry : entries) {
      String size = entry.dir() ? "-" : HumanSize.bytes(entry.size());
      sizes.add(size);
      width = Math.max(width, size.length());
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Response.Entry entry = entries.get(i);
      lines.add((entry.dir() ? 'd' : '-') + "  " + " ".repeat(width - sizes.get(i).length()) + sizes.get(i)
          + "  " + date(entry.modified()) + "  " + entry.name());
    }
    return lines;
  }

  private String date(String iso) {
    if (iso == null) return UNKNOWN_DATE;
    try {
      return DATE.format(Instant.parse(iso).atZone(zone));
    } catch (DateTimeParseException e) {
      return UNKNOWN_DATE;
    }
  }
}
