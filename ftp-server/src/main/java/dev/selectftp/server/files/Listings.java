package dev.selectftp.server.files;

import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.attribute.BasicFileAttributes;
import dev.selectftp.common.LogText;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one page of a folder's listing: the visible entries with the smallest names after a cursor, in
 * {@link NameOrder}. Nothing is kept between pages (the cursor is the last name examined), so a client can
 * stop at any page and the server holds no state for it.
 *
 * <p><b>Cost per page</b>, whatever the folder holds: one pass over its names (no stat, O(n log PAGE) for a
 * bounded max-heap of the PAGE smallest), then one stat for each of at most PAGE names, and O(PAGE) memory.
 * A whole listing of n names costs n/PAGE such passes. Blocking file system work: call it off the loop.
 */
final class Listings {
  private static final Logger log = LoggerFactory.getLogger(Listings.class);

  private Listings() {}

  /**
   * The page of {@code dir} that follows the cursor {@code after} (null for the first page), as big as
   * {@code size} allows.
   *
   * @param virtualDir the folder as the user names it, which the door may echo with the page
   */
  static Listing page(Folder dir, String virtualDir, String after, PageSize size) throws IOException {
    Candidates candidates = smallestNamesAfter(dir, after, size.maxEntries());
    long budget = size.room(virtualDir);
    List<Entry> out = new ArrayList<>(candidates.names().size());
    String last = null;
    int examined = 0;
    for (String name : candidates.names()) {
      Entry e = entryOrNull(dir, name);
      if (e != null) {
        long cost = size.cost(e);
        if (cost > budget) break; // this name starts the next page
        budget -= cost;
        out.add(e);
      }
      last = name;
      examined++;
    }
    boolean more = candidates.more() || examined < candidates.names().size();
    // The room always holds the longest entry, so a page always moves the cursor on.
    if (more && last == null) throw new IllegalStateException("a listing page must make progress");
    return new Listing(out, more ? last : null);
  }

  /**
   * @param names ascending, at most the limit asked for
   * @param more true when the folder holds further acceptable names after the last of {@code names}
   */
  private record Candidates(List<String> names, boolean more) {}

  /**
   * The {@code limit} smallest names after {@code after} that a user could type (partials and names a user
   * could not address are left out), without a stat: a max-heap keeps the smallest seen so far.
   */
  private static Candidates smallestNamesAfter(Folder dir, String after, int limit) throws IOException {
    PriorityQueue<String> largestOnTop = new PriorityQueue<>(limit + 1, NameOrder.CODE_POINTS.reversed());
    boolean[] more = {false};
    forEachName(dir, name -> {
      if (after != null && NameOrder.compare(name, after) <= 0) return;
      boolean full = largestOnTop.size() == limit;
      if (full && NameOrder.compare(name, largestOnTop.peek()) >= 0) {
        // Beyond this page; checking one acceptable such name is enough to know there is a next page.
        if (!more[0] && VirtualPath.isAcceptableName(name)) more[0] = true;
        return;
      }
      // Partials fail this too: users can never type the partial suffix.
      if (!VirtualPath.isAcceptableName(name)) return;
      if (full) {
        largestOnTop.poll();
        more[0] = true;
      }
      largestOnTop.add(name);
    });
    List<String> ascending = new ArrayList<>(largestOnTop);
    ascending.sort(NameOrder.CODE_POINTS);
    return new Candidates(ascending, more[0]);
  }

  /** The one place a folder's names are read: by descriptor, so a folder swapped for a link is not followed. */
  private static void forEachName(Folder dir, Consumer<String> action) throws IOException {
    try {
      for (Iterator<String> names = dir.names(); names.hasNext(); ) action.accept(names.next());
    } catch (DirectoryIteratorException e) {
      throw e.getCause();
    }
  }

  /** The one place an entry is statted (without following links); null when it vanished meanwhile. */
  private static BasicFileAttributes attributesOrNull(Folder dir, String name) throws IOException {
    return dir.attributes(name).orElse(null);
  }

  private static Entry entryOrNull(Folder dir, String name) throws IOException {
    BasicFileAttributes a = attributesOrNull(dir, name);
    if (a == null) return null; // deleted while we looked
    if (a.isSymbolicLink() || a.isOther()) {
      log.debug("listing skips a link or special file in {}", LogText.of(dir.virtualPath()));
      return null;
    }
    return new Entry(name, a.isDirectory(), a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().toMillis());
  }
}
