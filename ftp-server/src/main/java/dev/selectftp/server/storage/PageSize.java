package dev.selectftp.server.storage;

/**
 * How big one page of a listing may be, as the door that shows it decides: the SelectFTP door fits a page
 * into one frame, the FTP door streams pages into a data connection. Storage fills a page in name order
 * until the next entry would not fit, and always makes progress.
 */
public interface PageSize {
  /** Most entries in one page. */
  int maxEntries();

  /**
   * Room for the entries of one page of {@code folder} (the virtual path, which the door may echo), in the
   * door's own units; it must hold any single entry.
   */
  long room(String folder);

  /** What one entry takes of {@link #room}. */
  long cost(Entry entry);

  /** Pages of at most {@code max} entries, whatever their names. */
  static PageSize entries(int max) {
    if (max < 1) throw new IllegalArgumentException("a page holds at least one entry");
    return new PageSize() {
      @Override
      public int maxEntries() {
        return max;
      }

      @Override
      public long room(String folder) {
        return Long.MAX_VALUE;
      }

      @Override
      public long cost(Entry entry) {
        return 0;
      }
    };
  }
}
