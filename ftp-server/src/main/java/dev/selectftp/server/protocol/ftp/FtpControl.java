package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.server.core.Logins;
import dev.selectftp.server.net.Handler;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.AwaitingUser;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.ByteSink;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FTP control connection: command lines in, replies out. Commands that need no login are answered here,
 * USER and PASS by {@link FtpLogin}, the file commands by {@link FtpFiles}. One line is one request for the
 * connection's per-slice count. Loop-thread confined.
 */
final class FtpControl implements Handler {
  private static final Logger log = LoggerFactory.getLogger(FtpControl.class);
  /** Longest verb we know (RFC 959 verbs are 3-4 letters); anything longer is not a command. */
  private static final int MAX_VERB_CHARS = 8;

  /** What HELP lists: the commands this door answers. */
  private static final String HELP = "USER PASS QUIT NOOP SYST FEAT OPTS HELP TYPE MODE STRU PWD CWD CDUP MKD RMD"
      + " DELE RNFR RNTO SIZE MDTM REST PASV EPSV LIST NLST RETR STOR APPE ALLO ABOR AUTH PBSZ PROT STAT MLSD MLST HASH XSHA256";

  private final Peer peer;
  private final Logins logins;
  private final LineReader lines = new LineReader();
  private final FtpLogin login;
  private final FtpFiles files;
  private final FtpTransfers transfers;
  private final FtpSecurity security;
  private final FtpListings listings;
  private final FtpHash hashes;
  private FtpState state = new AwaitingUser();
  /** A command that came during a transfer and waits for its final reply (input is paused behind it). */
  private String held;
  /** The input {@link #onInput} is handling now, so a 150 sent meanwhile knows what was read before it. */
  private ByteBuffer reading;
  /**
   * Bytes read before the transfer's 150 went out and not yet handled: a command among them is held like
   * any other, whenever its slice comes (see {@link #transferAnnounced}).
   */
  private int readBefore150;

  FtpControl(FtpServices services, Peer peer) {
    this.peer = peer;
    this.logins = services.logins();
    this.security = new FtpSecurity(this, services.tls(), peer);
    this.login = new FtpLogin(this, services, peer);
    FtpStoreWaits waits = new FtpStoreWaits(this, peer);
    this.files = new FtpFiles(this, services, peer, waits);
    this.transfers = new FtpTransfers(this, services, peer, waits);
    this.listings = new FtpListings(this, services, peer, waits);
    this.hashes = new FtpHash(this, services, peer, waits);
  }

  FtpSecurity security() {
    return security;
  }

  FtpState current() {
    return state;
  }

  void moveTo(FtpState next) {
    state = next;
  }

  void reply(int code, String text) {
    peer.send(Replies.line(code, text));
  }

  @Override
  public void onOpen() {
    reply(220, "SelectFTP ready");
  }

  @Override
  public boolean onInput(ByteBuffer source) {
    int start = source.position();
    LineReader.Line line = lines.next(source);
    boolean early = readBefore150 > 0; // kept input comes first: this line ended among those bytes
    readBefore150 = Math.max(0, readBefore150 - (source.position() - start));
    if (line == null) return false;
    if (line == LineReader.TOO_LONG) {
      log.info("{}: command line over {} bytes dropped", peer.address(), LineReader.MAX_LINE_BYTES);
      reply(500, "command line too long");
      return true;
    }
    if (state instanceof FtpState.Transferring && (early || !answeredDuringTransfer(line.text()))) {
      // Handled after the transfer's final reply, in order; nothing after it is read until then.
      held = line.text();
      peer.pauseInput();
      return true;
    }
    reading = source;
    try {
      command(line.text());
    } finally {
      reading = null;
    }
    return true;
  }

  /**
   * The transfer's 150 is out. Commands read before it are held until the final reply, NOOP, STAT and ABOR
   * too, even when their slice comes after a helper's 150: the replies' order follows what the client sent,
   * not the loop's timing (LIST and NOOP in one write: always 150, 226, 200).
   */
  void transferAnnounced() {
    readBefore150 = reading != null ? reading.remaining() : peer.unhandledInputBytes();
  }

  /**
   * What a transfer does not hold back when read after its 150: ABOR while it can still cut the data
   * connection, STAT without a path, and NOOP (a keep-alive). QUIT is held: RFC 959 has the server send the
   * transfer's result first, then 221 and close.
   */
  private boolean answeredDuringTransfer(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    return switch (t) {
      case "NOOP", "STAT" -> transfers.announced();
      case "ABOR" -> transfers.abortable();
      default -> false;
    };
  }

  /**
   * Has the connection look at its input again (a FIN read during the transfer closes it once
   * {@link #answerPending} is false), unless a held command keeps input paused until the final reply.
   */
  void wakeInput() {
    if (held == null) peer.resumeInput();
  }

  /** The transfer's final reply is out: a held command runs now, then input resumes behind it. */
  void transferDone() {
    String next = held;
    held = null;
    readBefore150 = 0; // the rule is for this transfer only; the held command may begin the next one
    peer.resumeInput();
    if (next != null) command(next);
  }


  private void command(String text) {
    int space = text.indexOf(' ');
    String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
    String arg = space < 0 ? "" : text.substring(space + 1);
    if (verb.isEmpty() || verb.length() > MAX_VERB_CHARS) {
      reply(500, "syntax error, command unrecognized");
      return;
    }
    try {
      state = dispatch(verb, arg);
    } catch (Refused refused) {
      reply(FtpReplies.codeOf(refused.code()), refused.getMessage());
    } catch (java.io.IOException e) {
      log.warn("{}: {} failed: {}", peer.address(), verb, LogText.of(e.toString()));
      reply(451, "server error; see the server log");
    }
  }

  private FtpState dispatch(String verb, String arg) throws Refused, java.io.IOException {
    switch (verb) {
      case "USER":
        return login.user(state, arg);
      case "PASS":
        return login.pass(state, arg);
      case "QUIT":
        reply(221, "goodbye");
        peer.closeAfterFlush();
        return state;
      case "NOOP":
        reply(200, "NOOP ok");
        return state;
      case "SYST":
        reply(215, "UNIX Type: L8");
        return state;
      case "FEAT":
        List<String> features = new java.util.ArrayList<>(List.of("UTF8", "SIZE", "MDTM", "EPSV", "PASV", "REST STREAM"));
        features.add(listings.feature());
        features.add(FtpHash.FEATURE);
        features.addAll(security.features());
        peer.send(Replies.multi(211, "Features:", features, "End"));
        return state;
      case "HELP":
        peer.send(Replies.multi(214, "Commands:", List.of(HELP), "See RFC 959."));
        return state;
      case "AUTH":
        return security.auth(state, arg);
      case "PBSZ":
        return security.pbsz(state, arg);
      case "PROT":
        return security.prot(state, arg);
      case "CCC":
        return security.ccc(state);
      case "OPTS":
        return options(arg.strip());
      case "STAT":
        if (!arg.isBlank()) break; // STAT path is a listing: logged in only
        FtpStatus.reply(peer, state, transfers.inProgress());
        return state;
      default:
        break;
    }
    if (state instanceof FtpState.Transferring && verb.equals("ABOR")) {
      transfers.abort();
      return state;
    }
    if (!(state instanceof Ready ready)) {
      reply(530, "log in first");
      return state;
    }
    if (!logins.stillExists(ready.login())) { // removed (or removed and registered again) since this login
      log.info("{}: {} no longer has this account, closing", peer.address(), LogText.of(ready.login().user()));
      reply(421, "your account was removed; log in again");
      peer.closeAfterFlush();
      return new FtpState.Waiting("account removed");
    }
    return switch (verb) {
      case "PASV" -> transfers.passive(ready, false);
      case "EPSV" -> transfers.passive(ready, true);
      case "PORT", "EPRT" -> {
        reply(502, "active mode is off (bounce attacks, RFC 2577); use PASV or EPSV");
        yield ready;
      }
      case "REST" -> transfers.rest(ready, arg);
      case "ABOR" -> {
        reply(226, "no transfer to abort");
        yield ready;
      }
      case "LIST" -> listings.list(ready, arg, ListingPages.Style.LIST, transfers);
      case "NLST" -> listings.list(ready, arg, ListingPages.Style.NLST, transfers);
      case "MLSD" -> listings.list(ready, arg, ListingPages.Style.MLSD, transfers);
      case "MLST" -> listings.mlst(ready, arg);
      case "STAT" -> listings.stat(ready, arg);
      case "HASH" -> hashes.hash(ready, required(arg), true);
      case "XSHA256" -> hashes.hash(ready, required(arg), false);
      case "RETR" -> transfers.downloads().retrieve(ready, required(arg));
      case "STOR" -> transfers.uploads().store(ready, required(arg), false);
      case "APPE" -> transfers.uploads().store(ready, required(arg), true);
      case "ALLO" -> transfers.uploads().allocate(ready, arg);
      default -> files.handle(ready, verb, arg);
    };
  }

  /** OPTS UTF8 ON, OPTS MLST facts (RFC 3659), OPTS HASH algorithm (draft-bryan-ftpext-hash). */
  private FtpState options(String arg) {
    int space = arg.indexOf(' ');
    String name = (space < 0 ? arg : arg.substring(0, space)).toUpperCase(Locale.ROOT);
    String value = space < 0 ? "" : arg.substring(space + 1);
    switch (name) {
      case "UTF8" -> {
        if (value.strip().equalsIgnoreCase("ON")) {
          reply(200, "always in UTF-8");
        } else {
          reply(501, "only OPTS UTF8 ON is known");
        }
      }
      case "MLST" -> listings.options(value);
      case "HASH" -> hashes.options(value);
      default -> reply(501, "OPTS knows UTF8, MLST and HASH");
    }
    return state;
  }

  static String required(String arg) throws Refused {
    if (arg.isEmpty()) throw new Refused(dev.selectftp.server.refusal.Refusal.BAD_REQUEST, "a path is required");
    return arg;
  }

  @Override
  public int readWindow() {
    return LineReader.MAX_LINE_BYTES;
  }

  @Override
  public boolean midMessage() {
    return lines.midLine();
  }

  @Override
  public long bufferedBytes() {
    return lines.bufferedBytes() + listings.bufferedBytes();
  }

  @Override
  public boolean stream(ByteSink out) {
    return false; // the control connection streams nothing; files go over data connections
  }

  @Override
  public boolean isTransferring() {
    return state instanceof FtpState.Transferring;
  }

  /** A download's or listing's final reply is still to come (its bytes move on the data connection). */
  @Override
  public boolean answerPending() {
    return transfers.answerPending();
  }

  @Override
  public boolean isLoggedIn() {
    return state instanceof Ready || state instanceof FtpState.Transferring || state instanceof FtpState.Working;
  }

  @Override
  public void onShutdown() {
    reply(421, "the server is shutting down");
  }

  @Override
  public void onTimeout(String reason) {
    reply(421, reason);
  }

  @Override
  public void onClose() {
    login.close();
    transfers.close();
    if (state instanceof Ready ready) {
      log.debug("{}: {} disconnected", peer.address(), LogText.of(ready.login().user()));
    }
    state = new FtpState.Waiting("closed");
  }

}
