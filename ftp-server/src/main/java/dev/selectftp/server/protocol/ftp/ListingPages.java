package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.core.Login;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.storage.VirtualPath;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

/**
 * Reads and formats one page of a folder for LIST, NLST, MLSD and STAT: at most {@link #MAX_ENTRIES} entries
 * and about {@link #MAX_PAGE_BYTES} of text, so a listing of any size is held one page at a time.
 */
final class ListingPages {
  /** Entries per page read off the loop. */
  static final int MAX_ENTRIES = 1000;
  /** Text per page, about: a page ends before the entry that would pass it. */
  static final int MAX_PAGE_BYTES = 128 * 1024;
  /** Bytes of a line besides its name, at most: the ls -l columns (53) or the five MLSD facts (about 100). */
  private static final int LINE_OVERHEAD_BYTES = 104;

  /** The output forms. */
  enum Style { LIST, NLST, MLSD }

  /** One formatted page, and the cursor of the next (null at the end). */
  record Page(ByteBuffer text, String next) {}

  /** Pages of at most {@link #MAX_ENTRIES} entries and {@link #MAX_PAGE_BYTES} of text. */
  private static final PageSize SIZE = new PageSize() {
    @Override
    public int maxEntries() {
      return MAX_ENTRIES;
    }

    @Override
    public long room(String folder) {
      return MAX_PAGE_BYTES;
    }

    @Override
    public long cost(Entry e) {
      return LINE_OVERHEAD_BYTES + utf8Bytes(e.name());
    }
  };

  private final FtpServices services;
  private final Login login;
  private final String folder;
  private final Style style;
  private final Set<MlsxFormat.Fact> facts;
  private final Instant now = Instant.now();

  ListingPages(FtpServices services, Login login, String folder, Style style, Set<MlsxFormat.Fact> facts) {
    this.services = services;
    this.login = login;
    this.folder = folder;
    this.style = style;
    this.facts = facts;
  }

  /** Blocking (reads the folder): the page after {@code after} (null: the first), formatted. Helper threads. */
  Page read(String after) throws Refused {
    Listing page = services.operations().listPage(login.home(), login.cwd(), folder, after, SIZE);
    StringBuilder out = new StringBuilder(MAX_PAGE_BYTES / 2);
    if (after == null && style == Style.MLSD) {
      FileInfo self = login.home().stat(folder);
      Entry me = new Entry(".", true, 0, self.modifiedMillis());
      out.append(MlsxFormat.entry(facts, login.user(), "cdir", folder, me, ".")).append("\r\n");
    }
    for (Entry e : page.entries()) out.append(line(e));
    return new Page(ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8)), page.next());
  }

  /** One entry in this listing's style, with its CRLF. */
  String line(Entry e) {
    return switch (style) {
      case LIST -> ListFormat.line(e, now);
      case NLST -> ListFormat.name(e);
      case MLSD -> MlsxFormat.entry(facts, login.user(), e.dir() ? "dir" : "file", child(e.name()), e, e.name())
          + "\r\n";
    };
  }

  private static int utf8Bytes(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 || Character.isLowSurrogate(c) ? 2 : 3; // a surrogate pair is 4 bytes
    }
    return n;
  }

  private String child(String name) {
    return VirtualPath.ROOT.equals(folder) ? folder + name : folder + "/" + name;
  }
}
