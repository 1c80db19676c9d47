package dev.selectftp.server.storage;

import java.util.List;

/**
 * One page of a folder's visible entries, by name in Unicode code point order (the byte order of UTF-8).
 *
 * @param entries as many as the door's {@link PageSize} allows; maybe none while {@code next} is set (a
 *     page of skipped links, say)
 * @param next the cursor for the following page, null when the listing is complete. It is the last name
 *     this page examined; the next page holds only names after it, so no name is listed twice.
 */
public record Listing(List<Entry> entries, String next) {
  public Listing {
    entries = List.copyOf(entries);
  }

  public boolean complete() {
    return next == null;
  }
}
