package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.server.accounts.ClientAddress;
import dev.selectftp.server.core.Login;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Frames;
import dev.selectftp.common.LogText;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.storage.ByteSink;
import dev.selectftp.server.protocol.selectftp.FrameHandler;
import dev.selectftp.server.protocol.selectftp.Peer;
import dev.selectftp.server.protocol.selectftp.SessionState.AwaitingCommit;
import dev.selectftp.server.protocol.selectftp.SessionState.AwaitingLogin;
import dev.selectftp.server.protocol.selectftp.SessionState.Authenticating;
import dev.selectftp.server.protocol.selectftp.SessionState.Closed;
import dev.selectftp.server.protocol.selectftp.SessionState.Committing;
import dev.selectftp.server.protocol.selectftp.SessionState.HoldsDownload;
import dev.selectftp.server.protocol.selectftp.SessionState.HoldsUpload;
import dev.selectftp.server.protocol.selectftp.SessionState.LoggedIn;
import dev.selectftp.server.protocol.selectftp.SessionState.Offered;
import dev.selectftp.server.protocol.selectftp.SessionState.Ready;
import dev.selectftp.server.protocol.selectftp.SessionState.Receiving;
import dev.selectftp.server.protocol.selectftp.SessionState.Sending;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's state machine. Every frame is decoded, checked against the current state, handled by
 * the part that knows the rules (login, browsing, transfers), and answered; the state changes in one
 * place, here. Loop-thread confined.
 *
 * <p>TLS (docs/PROTOCOL.md): {@code start-tls} is accepted only as the first request after {@code hello}
 * on a server that offers TLS; on a server that requires it, any other request but {@code quit} before the
 * upgrade gets one {@code tls-required} and the connection closes.
 */
public final class Session implements FrameHandler {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  public static final String SERVER_NAME = "SelectFTP/" + version();
  /**
   * Protocol errors before login after which the connection closes (after the error reply). A real client
   * makes none; a flood of junk costs its sender a reconnect every few frames.
   */
  public static final int MAX_ERRORS_BEFORE_LOGIN = 3;
  /**
   * What counts as a protocol error: a request that is malformed or not allowed in its state. Refusals of a
   * well-formed request (a taken or invalid user name, weak credentials, a lockout) do not count: a person
   * at the console may well try three names.
   */
  private static final Set<ErrorCode> PROTOCOL_ERRORS = EnumSet.of(ErrorCode.BAD_JSON, ErrorCode.UNKNOWN_TYPE,
      ErrorCode.BAD_REQUEST, ErrorCode.NOT_LOGGED_IN, ErrorCode.WRONG_STATE);

  private final Services services;
  private final Peer peer;
  private final Authentication authentication;
  private final Browsing browsing;
  private final Transfers transfers;
  private SessionState state = new AwaitingLogin();
  private int errorsBeforeLogin;
  /** Some request was handled already, so {@code start-tls} is no longer the first. */
  private boolean requested;
  /** The connection was upgraded to TLS. */
  private boolean secure;

  public Session(Services services, Peer peer) {
    this.services = services;
    this.peer = peer;
    this.authentication = new Authentication(this, services, peer);
    this.browsing = new Browsing(this, services, peer);
    this.transfers = new Transfers(this, services, peer);
  }

  @Override
  public void onOpen() {
    log.debug("{}: connected", peer.address());
    peer.send(new Response.Hello(Response.OK, "SelectFTP ready", SERVER_NAME, services.config().iterations(),
        services.config().tls().offer().wireName()));
  }

  @Override
  public void onFrame(byte[] payload) {
    try {
      state = next(state, MessageCodec.decodeRequest(payload));
    } catch (ProtocolException e) {
      log.debug("{}: refused: {} ({})", peer.address(), e.getMessage(), e.code().code());
      peer.send(Response.Error.of(e.code(), e.getMessage()));
      if (!isLoggedIn() && PROTOCOL_ERRORS.contains(e.code()) && ++errorsBeforeLogin >= MAX_ERRORS_BEFORE_LOGIN) {
        log.info("{}: {} protocol errors before login, closing", peer.address(), errorsBeforeLogin);
        peer.closeAfterFlush();
      }
    } catch (IOException e) {
      peer.send(Failures.toError(e, peer.address()));
    }
  }

  private SessionState next(SessionState current, Request request) throws ProtocolException, IOException {
    boolean first = !requested;
    requested = true;
    if (request instanceof Request.StartTls) return startTls(current, first);
    if (request instanceof Request.Quit) {
      peer.send(new Response.Bye(Response.OK, "bye"));
      peer.closeAfterFlush();
      return current;
    }
    if (!secure && services.config().tls().offer() == TlsOffer.REQUIRED) {
      log.info("{}: plain-text request on a server that requires TLS, closing", peer.address());
      peer.send(Response.Error.of(ErrorCode.TLS_REQUIRED, "this server requires TLS: send start-tls first"));
      peer.closeAfterFlush();
      return current;
    }
    if (request instanceof Request.Stats) {
      // The load generator polls without logging in; elsewhere the figures are for logged-in users only.
      if (!(current instanceof LoggedIn) && !ClientAddress.isLoopback(peer.address())) {
        throw new ProtocolException(ErrorCode.NOT_LOGGED_IN, "log in first, or ask from the server's own host");
      }
      peer.send(services.stats().get());
      return current;
    }
    if (current instanceof AwaitingLogin) return authentication.beforeLogin(request);
    if (current instanceof Authenticating a) return authentication.proof(a, request);
    if (current instanceof Ready ready) {
      if (!stillHasAccount(ready.login())) return ready;
      if (request instanceof Request.Put put) return transfers.put(ready, put);
      if (request instanceof Request.Get get) return transfers.get(ready, get);
      return browsing.handle(ready, request);
    }
    if (current instanceof Offered offered) return transfers.data(offered, request);
    if (current instanceof AwaitingCommit awaiting) return transfers.commit(awaiting, request);
    throw new ProtocolException(ErrorCode.WRONG_STATE, "not now: " + describe(current));
  }

  /**
   * The upgrade: the go-ahead is queued first, then the connection drops whatever arrived after this frame
   * and starts the handshake once the go-ahead is written. The session then goes on as if freshly connected.
   */
  private SessionState startTls(SessionState current, boolean first) throws ProtocolException {
    if (services.config().tls().offer() == TlsOffer.OFF) {
      throw new ProtocolException(ErrorCode.TLS_UNAVAILABLE, "this server does not offer TLS");
    }
    if (!first || secure || !(current instanceof AwaitingLogin)) {
      throw new ProtocolException(ErrorCode.TLS_UNAVAILABLE, "start-tls is only accepted as the first request");
    }
    peer.send(new Response.StartTls(Response.OK, "go ahead"));
    peer.startTls();
    secure = true;
    log.debug("{}: upgrading to TLS", peer.address());
    return current;
  }

  /**
   * Ends a session whose account was removed (or removed and registered again by someone else) since it
   * logged in: the home folder at that name now belongs to nobody, or to the newcomer. An in-memory lookup.
   */
  private boolean stillHasAccount(Login login) {
    if (login.accountStillExists(services.accounts())) return true;
    log.info("{}: {} no longer has this account, closing", peer.address(), LogText.of(login.user()));
    peer.send(Response.Error.of(ErrorCode.NOT_LOGGED_IN, "your account was removed; log in again"));
    peer.closeAfterFlush();
    return false;
  }

  private static String describe(SessionState s) {
    if (s instanceof HoldsUpload) return "an upload is in progress";
    if (s instanceof HoldsDownload) return "a download is in progress";
    return "the session is busy";
  }

  @Override
  public long rawBytesWanted() {
    return state instanceof Receiving receiving ? receiving.upload().remaining() : 0;
  }

  @Override
  public int maxFrameBytes() {
    return isLoggedIn() ? Frames.MAX_FRAME_BYTES : Frames.MAX_FRAME_BYTES_BEFORE_LOGIN;
  }

  @Override
  public void onRaw(ByteBuffer source) {
    if (!(state instanceof Receiving receiving)) throw new IllegalStateException("raw bytes outside an upload");
    if (!receiving.upload().receive(source)) {
      state = new AwaitingCommit(receiving.login(), receiving.upload());
    } else if (receiving.upload().congested(services.loop()::post, () -> readOn(receiving))) {
      peer.pauseInput(); // the store is behind: the client's bytes wait in its socket, not in our spool
    }
  }

  /** The store caught up with an upload paused by {@link #onRaw}: read on, unless the session moved on. */
  private void readOn(Receiving receiving) {
    if (state == receiving) peer.resumeInput();
  }

  /**
   * A download whose store is behind ({@code Download.behind}) ends the stream for now and starts it again
   * when the bytes arrived ({@link #sendOn}), as an upload pauses its input. A store failure mid-stream
   * closes the connection (raw bytes cannot carry an error frame; the client resumes), logged as such.
   */
  @Override
  public boolean stream(ByteSink out) throws IOException {
    if (!(state instanceof Sending sending)) return false;
    try {
      if (sending.download().behind(services.loop()::post, () -> sendOn(sending))) return false;
    } catch (IOException e) {
      state = transfers.storeFailed(sending, e);
      throw e;
    }
    if (sending.download().send(out, services.loop().scratch())) return true;
    state = transfers.sent(sending);
    peer.resumeInput();
    return false;
  }

  /** The store caught up with a download paused by {@link #stream}: stream on, unless the session moved on. */
  private void sendOn(Sending sending) {
    if (state == sending) peer.startStreaming();
  }

  @Override
  public boolean isTransferring() {
    return state instanceof HoldsUpload || state instanceof HoldsDownload;
  }

  @Override
  public boolean isLoggedIn() {
    return state instanceof LoggedIn;
  }

  @Override
  public void onClose() {
    SessionState last = state;
    state = new Closed();
    authentication.close(); // a login in flight gives its throttle slot back
    // A commit in flight finishes on its own: its callback settles quota and logs.
    if (last instanceof HoldsUpload holds && !(last instanceof Committing)) transfers.uploadLost(holds);
    if (last instanceof HoldsDownload holds) transfers.downloadLost(holds);
    if (last instanceof LoggedIn in) log.info("{}: {} disconnected", peer.address(), in.login().user());
  }

  /** The state right now, for callbacks that must check nothing changed while they waited. */
  SessionState current() {
    return state;
  }

  /** Moves a waiting session on, from a timer or a background result. */
  void moveTo(SessionState next) {
    state = next;
  }

  private static String version() {
    String v = Session.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
