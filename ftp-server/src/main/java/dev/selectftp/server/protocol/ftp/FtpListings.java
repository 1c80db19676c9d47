package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.server.core.Login;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.VirtualPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listing commands: LIST, NLST and MLSD over a data connection (streamed a page at a time, see
 * {@link ListingStream}), MLST and STAT with a path over the control connection, and OPTS MLST. The named
 * path is checked on the loop with one stat (so a missing folder gets 550 before any 150); reading a folder
 * is left to helper threads. Loop-thread confined.
 */
final class FtpListings {
  private static final Logger log = LoggerFactory.getLogger(FtpListings.class);

  private final FtpControl control;
  private final FtpServices services;
  private final Peer peer;
  private final FtpStoreWaits waits;
  /** The facts OPTS MLST selected; all of them until then. */
  private Set<MlsxFormat.Fact> facts = EnumSet.allOf(MlsxFormat.Fact.class);
  /** The last listing streamed, for {@link #bufferedBytes()}. */
  private ListingStream streaming;

  FtpListings(FtpControl control, FtpServices services, Peer peer, FtpStoreWaits waits) {
    this.waits = waits;
    this.control = control;
    this.services = services;
    this.peer = peer;
  }

  /** FEAT's MLST line. */
  String feature() {
    return MlsxFormat.feature(facts);
  }

  /** OPTS MLST fact;fact; (RFC 3659 section 7.9). */
  void options(String list) {
    facts = MlsxFormat.select(list);
    control.reply(200, "MLST OPTS " + MlsxFormat.selection(facts));
  }

  /** LIST, NLST, MLSD: checks the path, then streams the folder (or one file's line) over the data connection. */
  FtpState list(Ready ready, String arg, ListingPages.Style style, FtpTransfers transfers) throws Refused {
    Login login = ready.login();
    String path = arg.strip();
    if (style != ListingPages.Style.MLSD && path.startsWith("-")) path = ""; // "LIST -la": options are ignored
    String target = services.operations().listTarget(login.cwd(), path.isEmpty() ? null : path);
    return waits.<FileInfo>await(ready, style.name(),
        done -> services.operations().stat(login.home(), "/", target, done),
        info -> listing(ready, target, info, style, transfers));
  }

  /** Once the target was looked at: a file's one line, or the folder streamed page by page. */
  private FtpState listing(Ready ready, String target, FileInfo info, ListingPages.Style style,
      FtpTransfers transfers) throws Refused {
    Login login = ready.login();
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such file or folder: " + target);
    if (!info.dir()) {
      if (style == ListingPages.Style.MLSD) throw new Refused(Refusal.BAD_REQUEST, "MLSD lists folders; use MLST");
      // ls names the file itself: "LIST file" shows its one line, read with the stat already made.
      String line = new ListingPages(services, login, target, style, facts).line(entryOf(target, info));
      return transfers.sendListing(ready, ListingStream.of(line, peer.address()));
    }
    ListingStream stream = new ListingStream(services, new ListingPages(services, login, target, style, facts),
        peer.address());
    streaming = stream;
    return transfers.sendListing(ready, stream);
  }

  /** MLST: one entry's facts over the control connection (RFC 3659 section 7.2). */
  FtpState mlst(Ready ready, String arg) throws Refused {
    Login login = ready.login();
    String target = VirtualPath.resolve(login.cwd(), arg.strip().isEmpty() ? "." : arg.strip());
    return waits.<FileInfo>await(ready, "MLST", done -> services.operations().stat(login.home(), "/", target, done),
        info -> {
          if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such file or folder: " + target);
          String line = MlsxFormat.entry(facts, login.user(), info.dir() ? "dir" : "file", target,
              entryOf(target, info), target);
          peer.send(Replies.multi(250, "Listing " + target, List.of(line), "End"));
          return ready;
        });
  }

  /**
   * STAT path (RFC 959): the listing over the control connection, 213. A folder is read off the loop, one
   * page, so it is cut at {@link ListingPages#MAX_ENTRIES} entries or {@link ListingPages#MAX_PAGE_BYTES},
   * and the last line says "truncated"; input waits meanwhile.
   */
  FtpState stat(Ready ready, String arg) throws Refused {
    Login login = ready.login();
    String target = services.operations().listTarget(login.cwd(), arg.strip());
    return waits.<FileInfo>await(ready, "STAT", done -> services.operations().stat(login.home(), "/", target, done),
        info -> status(ready, target, info));
  }

  /** Once the target was looked at: a file's line, or one page of the folder read off the loop. */
  private FtpState status(Ready ready, String target, FileInfo info) throws Refused {
    Login login = ready.login();
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such file or folder: " + target);
    if (!info.dir()) {
      String line = ListFormat.line(entryOf(target, info), java.time.Instant.now()).strip();
      peer.send(Replies.multi(213, "status of " + target, List.of(line), "End"));
      return ready;
    }
    ListingPages pages = new ListingPages(services, login, target, ListingPages.Style.LIST, facts);
    peer.pauseInput();
    services.listings().run(() -> pages.read(null), (page, failure) -> {
      if (!peer.isOpen()) return;
      if (failure instanceof Refused r) {
        control.reply(FtpReplies.codeOf(r.code()), r.getMessage());
      } else if (failure != null) {
        log.warn("{}: STAT failed: {}", peer.address(), LogText.of(failure.toString()));
        control.reply(451, "server error; see the server log");
      } else {
        String text = StandardCharsets.UTF_8.decode(page.text()).toString();
        List<String> lines = new ArrayList<>(text.lines().toList());
        String end = page.next() == null ? "End" : "End (truncated after " + lines.size() + " entries; use LIST)";
        peer.send(Replies.multi(213, "status of " + target, lines, end));
      }
      peer.resumeInput();
    });
    return ready;
  }

  /** Heap the listing being streamed holds (one page at most). */
  long bufferedBytes() {
    return streaming == null ? 0 : streaming.bufferedBytes();
  }

  private static Entry entryOf(String virtualPath, FileInfo info) {
    String name = VirtualPath.ROOT.equals(virtualPath) ? "/" : virtualPath.substring(virtualPath.lastIndexOf('/') + 1);
    return new Entry(name, info.dir(), info.dir() ? 0 : info.size(), info.modifiedMillis());
  }
}
