package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.LogText;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.common.ScramServer;
import dev.selectftp.server.core.LoginFlow;
import dev.selectftp.server.core.LoginOutcome;
import dev.selectftp.server.core.Logins;
import dev.selectftp.server.core.Registrations;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.protocol.selectftp.SessionState.AwaitingLogin;
import dev.selectftp.server.protocol.selectftp.SessionState.Authenticating;
import dev.selectftp.server.protocol.selectftp.SessionState.Ready;
import dev.selectftp.server.protocol.selectftp.SessionState.Waiting;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login by SCRAM-SHA-256 and registration. The SCRAM exchange is this door's; what follows a right or wrong
 * proof (the throttle, the failure's delay, the first file count) is the core's {@link LoginFlow}.
 */
final class Authentication {
  private static final Logger log = LoggerFactory.getLogger(Authentication.class);

  private final Session session;
  private final Services services;
  private final Peer peer;
  private final LoginFlow flow;
  private final Registrations registrations;

  Authentication(Session session, Services services, Peer peer) {
    this.session = session;
    this.services = services;
    this.peer = peer;
    // The loop is looked up when a timer is due, not now: a session may be built without one (StatsAccessTest).
    this.flow = new LoginFlow(new Logins(services.accounts(), services.throttle()), services.files(),
        services.quotas(), services.store(), (delayNanos, task) -> services.loop().schedule(delayNanos, task),
        peer.address(),
        "SelectFTP");
    this.registrations = new Registrations(services.accounts(), services.registrations());
  }

  SessionState beforeLogin(Request request) throws ProtocolException {
    if (request instanceof Request.AuthStart start) return start(start);
    if (request instanceof Request.Register register) return register(register);
    if (request instanceof Request.AuthFinish) {
      throw new ProtocolException(ErrorCode.WRONG_STATE, "send auth-start first");
    }
    throw new ProtocolException(ErrorCode.NOT_LOGGED_IN, "log in first");
  }

  private SessionState start(Request.AuthStart request) throws ProtocolException {
    // Over TLS the login is bound to this connection's certificate (RFC 5929), so a relay cannot complete it.
    ScramServer.ClientFirst first = ScramServer.parseClientFirst(request.scram(), peer.channelBinding());
    // The credentials may need a read of the accounts database (a name this node's mirror lacks): input
    // waits meanwhile; with users.json or a known name the challenge goes out within this call.
    SessionState before = session.current();
    Waiting waiting = new Waiting("challenging");
    session.moveTo(waiting);
    peer.pauseInput();
    try {
      flow.admit(first.user(), stored -> challenge(waiting, first, stored)); // a restart gives its slot back
    } catch (Refused refused) {
      session.moveTo(before);
      peer.resumeInput();
      throw Failures.toProtocol(refused);
    }
    return session.current();
  }

  private void challenge(Waiting waiting, ScramServer.ClientFirst first, ScramCredentials stored) {
    if (session.current() != waiting) return;
    ScramServer exchange = ScramServer.start(first, stored);
    peer.send(new Response.AuthChallenge(Response.OK, "continue", exchange.serverFirst()));
    session.moveTo(new Authenticating(first.user(), exchange));
    peer.resumeInput();
  }

  /** The SCRAM proof; from "right" or "wrong" on, a login is the core's {@link LoginFlow}, as on every door. */
  SessionState proof(Authenticating pending, Request request) throws ProtocolException {
    if (!(request instanceof Request.AuthFinish finish)) return beforeLogin(request);
    Optional<String> serverFinal = pending.exchange().finish(finish.scram());
    Waiting waiting = new Waiting("logging in");
    session.moveTo(waiting);
    peer.pauseInput();
    flow.proven(pending.user(), serverFinal.isPresent(), outcome -> answer(waiting, outcome, serverFinal));
    return session.current();
  }

  /** The outcome as a SelectFTP reply: auth-ok with the server's proof, or an error (a failure after its delay). */
  private void answer(Waiting waiting, LoginOutcome outcome, Optional<String> serverFinal) {
    if (session.current() != waiting) return;
    if (outcome instanceof LoginOutcome.Accepted accepted) {
      String user = accepted.login().user();
      peer.send(new Response.AuthOk(Response.OK, "welcome " + user, serverFinal.orElseThrow(), user));
      session.moveTo(new Ready(accepted.login()));
    } else if (outcome instanceof LoginOutcome.Rejected) {
      peer.send(Response.Error.of(ErrorCode.AUTH_FAILED, "wrong user name or password"));
      session.moveTo(new AwaitingLogin());
    } else if (outcome instanceof LoginOutcome.Unavailable unavailable) {
      peer.send(Failures.toError(unavailable.failure(), peer.address(), "a login"));
      session.moveTo(new AwaitingLogin());
    }
    peer.resumeInput();
  }

  /** Gives up a login in flight (its throttle slot comes back); safe twice. */
  void close() {
    flow.abandon();
  }

  private SessionState register(Request.Register request) throws ProtocolException {
    try {
      registrations.refuseIfClosed();
      registrations.checkName(request.user());
      ScramCredentials credentials = decode(request);
      registrations.admit(credentials, peer.address());
      Waiting waiting = new Waiting("registering");
      peer.pauseInput();
      // The account is persisted before the reply: that is done off the loop, on the accounts thread.
      // A failed write of the users file is classified there, off the loop: a full disk is told as one.
      services.accountWork().run(services.store().classified(() -> registrations.register(request.user(), credentials)),
          (user, failure) -> registered(waiting, request.user(), failure));
      return waiting;
    } catch (Refused refused) {
      throw Failures.toProtocol(refused);
    }
  }

  /** The key material as the SelectFTP request carries it: Base64 in JSON. */
  private static ScramCredentials decode(Request.Register request) throws ProtocolException {
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      return new ScramCredentials(b64.decode(request.salt()), request.iterations(),
          b64.decode(request.storedKey()), b64.decode(request.serverKey()));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.WEAK_CREDENTIALS, "bad key material: " + e.getMessage());
    }
  }

  private void registered(Waiting waiting, String name, Exception failure) {
    if (session.current() != waiting) return;
    if (failure == null) {
      log.info("{}: registered {}", peer.address(), LogText.of(name));
      peer.send(new Response.Ok(Response.CREATED, "registered " + name));
    } else if (failure instanceof Refused refused) {
      peer.send(Failures.toError(refused));
    } else if (failure instanceof IOException io) {
      peer.send(Failures.toError(io, peer.address()));
    } else if (failure instanceof RejectedExecutionException) {
      peer.send(Response.Error.of(ErrorCode.SHUTTING_DOWN, "the server is stopping; nothing was registered"));
    } else {
      log.error("{}: registration of {} failed", peer.address(), LogText.of(name), failure);
      peer.send(Response.Error.of(ErrorCode.INTERNAL, "server error; see the server log"));
    }
    session.moveTo(new AwaitingLogin());
    peer.resumeInput();
  }
}
