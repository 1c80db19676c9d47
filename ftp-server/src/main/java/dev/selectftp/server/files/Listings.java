package dev.selectftp.server.files;

import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one folder into a {@link Listing} that fits one frame. */
final class Listings {
  /** Most entries returned. */
  static final int MAX_ENTRIES = 2000;
  /**
   * Most folder entries examined. A listing must be sorted, so everything examined is held and sorted;
   * this bounds the work (one stat each) for folders with millions of files. Beyond it the listing is
   * marked truncated and is sorted among the entries examined only.
   */
  static final int MAX_SCANNED = 20_000;
  /** Budget for the entries' JSON, leaving room in the 64 KiB frame for the envelope and the path. */
  static final int MAX_JSON_BYTES = 56 * 1024;
  /** Bytes of one entry's JSON besides its name and size digits, with a little slack. */
  private static final int ENTRY_JSON_OVERHEAD = 72;
  /** Partials examined when explaining why a folder that looks empty is not. */
  private static final int MAX_PARTIAL_PROBE = 100;

  private static final Logger log = LoggerFactory.getLogger(Listings.class);
  private static final Comparator<Response.Entry> ORDER =
      Comparator.comparing((Response.Entry e) -> !e.dir()).thenComparing(Response.Entry::name);

  private Listings() {}

  static Listing read(Path dir, String virtualDir) throws IOException {
    List<Response.Entry> all = new ArrayList<>();
    boolean truncated = false;
    int scanned = 0;
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        if (++scanned > MAX_SCANNED) {
          truncated = true;
          break;
        }
        Response.Entry e = entryOrNull(p);
        if (e != null) all.add(e);
      }
    }
    all.sort(ORDER);
    // The path is echoed in the listing frame, so its bytes come out of the entries' budget.
    int budget = MAX_JSON_BYTES - virtualDir.getBytes(StandardCharsets.UTF_8).length;
    List<Response.Entry> out = new ArrayList<>(Math.min(all.size(), MAX_ENTRIES));
    for (Response.Entry e : all) {
      int cost = jsonBytes(e);
      if (out.size() >= MAX_ENTRIES || cost > budget) {
        truncated = true;
        break;
      }
      budget -= cost;
      out.add(e);
    }
    return new Listing(out, truncated);
  }

  /** True when the folder's first entries (up to a small probe) are all partials. */
  static boolean holdsOnlyPartials(Path dir) {
    int seen = 0;
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        if (!Partials.isPartial(p) || ++seen > MAX_PARTIAL_PROBE) return false;
      }
      return seen > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static Response.Entry entryOrNull(Path p) throws IOException {
    String name = p.getFileName().toString();
    if (Partials.isPartial(p) || !VirtualPath.isAcceptableName(name)) return null;
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null; // deleted while we looked
    }
    if (a.isSymbolicLink() || a.isOther()) {
      log.debug("listing skips {} (link or special file)", p);
      return null;
    }
    String modified = a.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    return new Response.Entry(name, a.isDirectory(), a.isDirectory() ? 0 : a.size(), modified);
  }

  /** Names passed {@link VirtualPath#isAcceptableName}: no control chars, so only '"' needs escaping. */
  private static int jsonBytes(Response.Entry e) {
    int quotes = (int) e.name().chars().filter(c -> c == '"').count();
    return ENTRY_JSON_OVERHEAD + e.name().getBytes(StandardCharsets.UTF_8).length + quotes
        + Long.toString(e.size()).length();
  }
}
