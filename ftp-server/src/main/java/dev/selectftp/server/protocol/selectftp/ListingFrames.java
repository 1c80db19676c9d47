package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.Response;
import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.storage.VirtualPath;
import java.nio.charset.StandardCharsets;

/**
 * The SelectFTP door's listing pages: at most {@link Response.Listing#MAX_PAGE_ENTRIES} entries, and few
 * enough that the entries' JSON, the echoed folder and the cursor fit one frame (docs/PROTOCOL.md).
 */
public final class ListingFrames implements PageSize {
  /** The one page size of the SelectFTP door. */
  public static final ListingFrames PAGE = new ListingFrames();
  /**
   * Budget for the entries', the path's and the cursor's JSON, leaving room in the 64 KiB frame for the
   * envelope (type, status, message).
   */
  static final int MAX_JSON_BYTES = 56 * 1024;
  /** Bytes of one entry's JSON besides its name and size digits, with a little slack. */
  private static final int ENTRY_JSON_OVERHEAD = 72;
  /** The cursor is a name: at most 255 UTF-8 bytes, each of which could be a '"' needing a '\'. */
  private static final int MAX_CURSOR_JSON_BYTES = 2 * VirtualPath.MAX_NAME_BYTES + 2;

  private ListingFrames() {}

  @Override
  public int maxEntries() {
    return Response.Listing.MAX_PAGE_ENTRIES;
  }

  /** The folder is echoed in the reply frame, so it shares the budget with the cursor and the entries. */
  @Override
  public long room(String folder) {
    return MAX_JSON_BYTES - jsonBytes(folder) - MAX_CURSOR_JSON_BYTES;
  }

  @Override
  public long cost(Entry e) {
    return ENTRY_JSON_OVERHEAD + jsonBytes(e.name()) + Long.toString(e.size()).length();
  }

  /**
   * A string's JSON bytes with its quotes. Only for names and virtual paths, which passed the character
   * checks of {@link VirtualPath} (no control characters, no backslash), so only '"' needs escaping.
   */
  private static int jsonBytes(String s) {
    int quotes = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '"') quotes++;
    }
    return 2 + s.getBytes(StandardCharsets.UTF_8).length + quotes;
  }
}
