package dev.selectftp.server.session;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.common.ScramServer;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.accounts.UserNames;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.session.SessionState.AwaitingLogin;
import dev.selectftp.server.session.SessionState.Authenticating;
import dev.selectftp.server.session.SessionState.Ready;
import dev.selectftp.server.session.SessionState.Waiting;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Login by SCRAM-SHA-256 and registration; failed logins are answered late by a loop timer. */
final class Authentication {
  private static final Logger log = LoggerFactory.getLogger(Authentication.class);

  private final Session session;
  private final Services services;
  private final Peer peer;

  Authentication(Session session, Services services, Peer peer) {
    this.session = session;
    this.services = services;
    this.peer = peer;
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
    ScramServer.ClientFirst first = ScramServer.parseClientFirst(request.scram());
    Optional<Duration> locked = services.throttle().lockedOut(first.user(), peer.address());
    if (locked.isPresent()) {
      throw new ProtocolException(ErrorCode.LOCKED_OUT,
          "too many failed logins; try again in " + Math.max(1, locked.get().toSeconds()) + " s");
    }
    // Unknown names get stable made-up credentials, so the challenge does not reveal who exists.
    ScramServer exchange = ScramServer.start(first, services.accounts().credentialsFor(first.user()));
    peer.send(new Response.AuthChallenge(Response.OK, "continue", exchange.serverFirst()));
    return new Authenticating(first.user(), exchange);
  }

  SessionState proof(Authenticating pending, Request request) throws ProtocolException, IOException {
    if (!(request instanceof Request.AuthFinish finish)) return beforeLogin(request);
    Optional<String> serverFinal = pending.exchange().finish(finish.scram());
    Optional<User> user = services.accounts().find(pending.user());
    if (serverFinal.isPresent() && user.isPresent()) {
      String name = user.get().name();
      services.throttle().recordSuccess(name, peer.address());
      Login login = new Login(name, services.files().home(name), "/");
      return readyOnceCounted(login, user.get().created(), serverFinal.get());
    }
    return failed(pending.user());
  }

  /**
   * Logs in once the user's totals are known, so no quota check ever walks a home: at once if they are,
   * else after one count off the loop (shared by every session of the user that waits for it) while this
   * session waits with its input paused. {@code account} (the creation stamp) makes a name that was removed
   * and registered again count afresh.
   */
  private SessionState readyOnceCounted(Login login, String account, String serverFinal) {
    if (services.quotas().isKnown(login.user(), account)) return welcome(login, serverFinal);
    Waiting waiting = new Waiting("counting the user's files");
    peer.pauseInput();
    services.quotas().whenKnown(login.user(), account, failure -> {
      if (session.current() != waiting) return;
      if (failure == null) {
        session.moveTo(welcome(login, serverFinal));
      } else {
        if (failure instanceof IOException io) {
          peer.send(Failures.toError(io, services.config().dataDir(), peer.address()));
        } else {
          log.error("{}: counting the files of {} failed", peer.address(), login.user(), failure);
          peer.send(Response.Error.of(ErrorCode.INTERNAL, "server error; see the server log"));
        }
        session.moveTo(new AwaitingLogin());
      }
      peer.resumeInput();
    });
    return waiting;
  }

  private Ready welcome(Login login, String serverFinal) {
    peer.send(new Response.AuthOk(Response.OK, "welcome " + login.user(), serverFinal, login.user()));
    log.info("{}: {} logged in", peer.address(), login.user());
    return new Ready(login);
  }

  /** Answers a failed login only after a growing delay, without holding anyone else up. */
  private SessionState failed(String user) {
    services.throttle().recordFailure(user, peer.address());
    Duration delay = services.throttle().failureDelay(user, peer.address());
    log.info("{}: failed login for {}; answering in {} ms", peer.address(), user, delay.toMillis());
    Waiting waiting = new Waiting("failed login");
    peer.pauseInput();
    services.loop().schedule(delay.toNanos(), () -> {
      if (session.current() != waiting) return;
      peer.send(Response.Error.of(ErrorCode.AUTH_FAILED, "wrong user name or password"));
      session.moveTo(new AwaitingLogin());
      peer.resumeInput();
    });
    return waiting;
  }

  private SessionState register(Request.Register request) throws ProtocolException {
    UserNames.check(request.user());
    ScramCredentials credentials;
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      credentials = new ScramCredentials(b64.decode(request.salt()), request.iterations(),
          b64.decode(request.storedKey()), b64.decode(request.serverKey()));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.WEAK_CREDENTIALS, "bad key material: " + e.getMessage());
    }
    Waiting waiting = new Waiting("registering");
    peer.pauseInput();
    // The users file is fsynced before the reply, so that is done off the loop.
    services.background().run(() -> services.accounts().register(request.user(), credentials),
        (user, failure) -> registered(waiting, request.user(), failure));
    return waiting;
  }

  private void registered(Waiting waiting, String name, Exception failure) {
    if (session.current() != waiting) return;
    if (failure == null) {
      log.info("{}: registered {}", peer.address(), name);
      peer.send(new Response.Ok(Response.CREATED, "registered " + name));
    } else if (failure instanceof ProtocolException refusal) {
      peer.send(Response.Error.of(refusal.code(), refusal.getMessage()));
    } else if (failure instanceof IOException io) {
      peer.send(Failures.toError(io, services.config().dataDir(), peer.address()));
    } else {
      log.error("{}: registration of {} failed", peer.address(), name, failure);
      peer.send(Response.Error.of(ErrorCode.INTERNAL, "server error; see the server log"));
    }
    session.moveTo(new AwaitingLogin());
    peer.resumeInput();
  }
}
