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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FTP control connection: command lines in, replies out. Commands that need no login are answered here
 * (what the door says about itself by {@link FtpFeatures}), USER and PASS by {@link FtpLogin}, the file
 * commands by {@link FtpFiles}; a command read during a transfer waits as {@link CommandHold} says. One line
 * is one request for the connection's per-slice count. Loop-thread confined.
 */
final class FtpControl implements Handler {
  private static final Logger log = LoggerFactory.getLogger(FtpControl.class);
  /** Longest verb we know (RFC 959 verbs are 3-4 letters); anything longer is not a command. */
  private static final int MAX_VERB_CHARS = 8;

  private final Peer peer;
  private final Logins logins;
  private final LineReader lines = new LineReader();
  private final FtpLogin login;
  private final FtpFiles files;
  private final FtpTransfers transfers;
  private final FtpSecurity security;
  private final FtpListings listings;
  private final FtpHash hashes;
  private final FtpFeatures features;
  private final CommandHold hold;
  private FtpState state = new AwaitingUser();

  FtpControl(FtpServices services, Peer peer) {
    this.peer = peer;
    this.logins = services.logins();
    this.security = new FtpSecurity(this, services.tls(), peer);
    this.login = new FtpLogin(this, services, peer);
    FtpStoreWaits waits = new FtpStoreWaits(this, peer);
    this.files = new FtpFiles(this, services, peer, waits);
    this.transfers = new FtpTransfers(this, services, peer, waits);
    this.hold = new CommandHold(peer, transfers::announced, transfers::abortable);
    this.listings = new FtpListings(this, services, peer, waits);
    this.hashes = new FtpHash(this, services, peer, waits);
    this.features = new FtpFeatures(peer, this::partFeatures, listings::options, hashes::options);
  }

  /** The FEAT lines of the door's parts, in the order FEAT lists them. */
  private List<String> partFeatures() {
    List<String> lines = new ArrayList<>();
    lines.add(listings.feature());
    lines.add(FtpHash.FEATURE);
    lines.addAll(security.features());
    return lines;
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
    boolean early = hold.consumed(source.position() - start);
    if (line == null) return false;
    if (line == LineReader.TOO_LONG) {
      log.info("{}: command line over {} bytes dropped", peer.address(), LineReader.MAX_LINE_BYTES);
      reply(500, "command line too long");
      return true;
    }
    // During a transfer most commands wait for its final reply, in order; nothing after them is read until then.
    if (state instanceof FtpState.Transferring && hold.holds(line.text(), early)) return true;
    hold.whileReading(source, () -> command(line.text()));
    return true;
  }

  /** The transfer's 150 is out: see {@link CommandHold#transferAnnounced}. */
  void transferAnnounced() {
    hold.transferAnnounced();
  }

  /**
   * Has the connection look at its input again (a FIN read during the transfer closes it once
   * {@link #answerPending} is false), unless a held command keeps input paused until the final reply.
   */
  void wakeInput() {
    hold.wakeInput();
  }

  /** The transfer's final reply is out: a held command runs now, then input resumes behind it. */
  void transferDone() {
    String next = hold.release();
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
        features.syst();
        return state;
      case "FEAT":
        features.feat();
        return state;
      case "HELP":
        features.help();
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
        features.options(arg.strip());
        return state;
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
