package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
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
      + " DELE RNFR RNTO SIZE MDTM REST PASV EPSV LIST NLST RETR STOR APPE ALLO ABOR AUTH PBSZ PROT";

  private final Peer peer;
  private final LineReader lines = new LineReader();
  private final FtpLogin login;
  private final FtpFiles files;
  private final FtpTransfers transfers;
  private final FtpSecurity security;
  private FtpState state = new AwaitingUser();

  FtpControl(FtpServices services, Peer peer) {
    this.peer = peer;
    this.security = new FtpSecurity(this, services.tls(), peer);
    this.login = new FtpLogin(this, services, peer);
    this.files = new FtpFiles(this, services, peer);
    this.transfers = new FtpTransfers(this, services, peer);
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
    LineReader.Line line = lines.next(source);
    if (line == null) return false;
    if (line == LineReader.TOO_LONG) {
      log.info("{}: command line over {} bytes dropped", peer.address(), LineReader.MAX_LINE_BYTES);
      reply(500, "command line too long");
      return true;
    }
    command(line.text());
    return true;
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
        if (arg.strip().equalsIgnoreCase("UTF8 ON")) {
          reply(200, "always in UTF-8");
        } else {
          reply(501, "only OPTS UTF8 ON is known");
        }
        return state;
      default:
        break;
    }
    if (!(state instanceof Ready ready)) {
      reply(530, "log in first");
      return state;
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
        reply(226, "no transfer to abort"); // input waits during a transfer, so none is running now
        yield ready;
      }
      case "LIST" -> transfers.list(ready, arg, false);
      case "NLST" -> transfers.list(ready, arg, true);
      case "RETR" -> transfers.retrieve(ready, required(arg));
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
    return lines.bufferedBytes();
  }

  @Override
  public boolean stream(ByteSink out) {
    return false; // the control connection streams nothing; files go over data connections
  }

  @Override
  public boolean isTransferring() {
    return state instanceof FtpState.Transferring;
  }

  @Override
  public boolean isLoggedIn() {
    return state instanceof Ready || state instanceof FtpState.Transferring;
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
