package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.storage.VirtualPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One page of a folder on S3, by <em>name</em> in code point order like the local store, built from
 * ListObjectsV2 with delimiter {@code /} and StartAfter = the cursor.
 *
 * <p><b>Why not S3's own order.</b> S3 returns keys in UTF-8 byte order, and a folder's key is its name plus
 * {@code /}, so folder {@code docs} ({@code docs/}) comes after file {@code docs.zip} although name order puts
 * it first: every character below {@code /} ({@code space ! " # $ % & ' ( ) * + , - .}) swaps them. So a page
 * of S3 results is sorted by name and cut where an unfetched folder could still come before it: the shortest
 * prefix {@code p} of the last fetched key whose next character is below {@code /} (its folder key
 * {@code p/} sorts after everything fetched). When nothing fetched is below that bound, the folder {@code p}
 * is probed with one more request and the page ends at it, so every page makes progress.
 *
 * <p>Every name after the cursor has a key after {@code PREFIX + cursor} (a folder {@code n > cursor} has
 * {@code n/ > cursor}); folders at or before the cursor that S3 returns again are dropped.
 */
final class ObjectListing {
  /** Keys asked for per request beyond the page's entries, to make up for hidden keys. */
  private static final int SLACK = 16;
  /** ListObjectsV2's own ceiling on keys per request. */
  private static final int MAX_KEYS = 1000;

  private final S3Client s3;
  private final String bucket;
  private final String folder;

  ObjectListing(S3Client s3, String bucket, String folder) {
    this.s3 = s3;
    this.bucket = bucket;
    this.folder = folder;
  }

  Listing page(String virtual, String after, PageSize size) throws IOException {
    int ask = (int) Math.min(MAX_KEYS, (long) size.maxEntries() + SLACK);
    ListObjectsV2Response r = io("list", () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(folder)
        .delimiter(ObjectKeys.SLASH).maxKeys(ask).startAfter(after == null ? null : folder + after)));
    List<Entry> found = new ArrayList<>();
    for (S3Object o : r.contents()) {
      String name = o.key().substring(folder.length());
      // The folder's own marker, and keys no virtual path can name (other tools' keys, bookkeeping).
      if (visible(name, after)) found.add(new Entry(name, false, o.size(), millis(o)));
    }
    for (CommonPrefix p : r.commonPrefixes()) {
      String name = p.prefix().substring(folder.length(), p.prefix().length() - 1);
      if (visible(name, after)) found.add(new Entry(name, true, 0, 0));
    }
    found.sort(Comparator.comparing(Entry::name, ObjectListing::byCodePoint));

    String bound = null;
    String lastKey = lastKey(r);
    if (r.isTruncated() && lastKey != null) bound = shortestSwappedPrefix(lastKey, after);
    List<Entry> page = new ArrayList<>();
    long room = size.room(virtual);
    String examined = null;
    for (Entry e : found) {
      if (bound != null && byCodePoint(e.name(), bound) >= 0) break;
      if (page.size() == size.maxEntries() || (!page.isEmpty() && size.cost(e) > room)) {
        return new Listing(page, examined);
      }
      page.add(e);
      room -= size.cost(e);
      examined = e.name();
    }
    if (!r.isTruncated()) return new Listing(page, null);
    if (bound == null) {
      // Everything fetched fits; the next page starts after the last key S3 examined.
      return new Listing(page, examined == null ? stripSlash(lastKey) : examined);
    }
    if (!page.isEmpty()) return new Listing(page, examined);
    // Nothing fetched sorts before the bound: the folder named by the bound is next, if it exists.
    String probe = folder + bound + ObjectKeys.SLASH;
    if (VirtualPath.isAcceptableName(bound) && folderExists(probe)) page.add(new Entry(bound, true, 0, 0));
    return new Listing(page, bound);
  }

  /** A prefix holding a key, or an empty folder's marker (which filesystem-backed stores list under no prefix). */
  private boolean folderExists(String prefix) throws IOException {
    if (io("list", () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1))).keyCount() > 0) return true;
    return S3Calls.head(s3, bucket, prefix).isPresent();
  }

  private static long millis(S3Object o) {
    return o.lastModified() == null ? 0 : o.lastModified().toEpochMilli();
  }

  private static boolean visible(String name, String after) {
    return !name.isEmpty() && VirtualPath.isAcceptableName(name) && (after == null || byCodePoint(name, after) > 0);
  }

  /** The greatest key S3 examined in this response, relative to the folder. */
  private String lastKey(ListObjectsV2Response r) {
    String last = null;
    for (S3Object o : r.contents()) last = max(last, o.key());
    for (CommonPrefix p : r.commonPrefixes()) last = max(last, p.prefix());
    return last == null ? null : last.substring(folder.length());
  }

  /**
   * The shortest proper prefix of {@code key} (after the cursor) followed by a character below {@code /}:
   * the smallest name an unfetched folder could have. Null when there is none.
   */
  static String shortestSwappedPrefix(String key, String after) {
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '/') return null;
      if (c < '/') {
        String p = key.substring(0, i);
        if (after == null || byCodePoint(p, after) > 0) return p;
      }
    }
    return null;
  }

  private static String max(String a, String b) {
    return a == null || byCodePoint(b, a) > 0 ? b : a;
  }

  private static String stripSlash(String key) {
    return key.endsWith(ObjectKeys.SLASH) ? key.substring(0, key.length() - 1) : key;
  }

  /**
   * Unicode code point order, which is UTF-8 byte order (String.compareTo orders UTF-16 units). The same
   * order as files/NameOrder, which storage/s3 may not import.
   */
  static int byCodePoint(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
