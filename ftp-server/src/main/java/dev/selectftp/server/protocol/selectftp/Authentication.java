package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.server.core.Login;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.LogText;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.common.ScramServer;
import dev.selectftp.server.accounts.ClientAddress;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.core.Logins;
import dev.selectftp.server.core.Registrations;
import dev.selectftp.server.protocol.selectftp.Peer;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.protocol.selectftp.SessionState.AwaitingLogin;
import dev.selectftp.server.protocol.selectftp.SessionState.Authenticating;
import dev.selectftp.server.protocol.selectftp.SessionState.Ready;
import dev.selectftp.server.protocol.selectftp.SessionState.Waiting;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Login by SCRAM-SHA-256 and registration; failed logins are answered late by a loop timer. */
final class Authentication {
  private static final Logger log = LoggerFactory.getLogger(Authentication.class);

  private final Session session;
  private final Services services;
  private final Peer peer;
  private final Logins logins;
  private final Registrations registrations;
  /** What the login and registration limits count: the address, or an IPv6 client's /64. */
  private final String addressKey;

  /** The login slot of an address under attack this session holds, given back when its login is answered. */
  private LoginThrottle.Ticket ticket = LoginThrottle.Ticket.NONE;

  Authentication(Session session, Services services, Peer peer) {
    this.session = session;
    this.services = services;
    this.peer = peer;
    this.logins = new Logins(services.accounts(), services.throttle());
    this.registrations = new Registrations(services.accounts(), services.registrations());
    this.addressKey = ClientAddress.key(peer.address());
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
    releaseTicket(); // a restarted exchange gives its slot back first
    try {
      ticket = logins.admit(first.user(), addressKey);
    } catch (Refused refused) {
      throw Failures.toProtocol(refused);
    }
    // Unknown names get stable made-up credentials, so the challenge does not reveal who exists.
    ScramServer exchange = ScramServer.start(first, logins.credentialsFor(first.user()));
    peer.send(new Response.AuthChallenge(Response.OK, "continue", exchange.serverFirst()));
    return new Authenticating(first.user(), exchange);
  }

  SessionState proof(Authenticating pending, Request request) throws ProtocolException, IOException {
    if (!(request instanceof Request.AuthFinish finish)) return beforeLogin(request);
    Optional<String> serverFinal = pending.exchange().finish(finish.scram());
    Optional<User> user = serverFinal.isPresent() ? logins.succeeded(pending.user(), addressKey) : Optional.empty();
    if (user.isPresent()) {
      String name = user.get().name();
      releaseTicket();
      Login login = new Login(name, user.get().created(), services.files().home(name), "/");
      return readyOnceCounted(login, serverFinal.get());
    }
    return failed(pending.user());
  }

  /**
   * Logs in once the user's totals are known, so no quota check ever walks a home: at once if they are,
   * else after one count off the loop (shared by every session of the user that waits for it) while this
   * session waits with its input paused. {@code account} (the creation stamp) makes a name that was removed
   * and registered again count afresh.
   */
  private SessionState readyOnceCounted(Login login, String serverFinal) {
    String account = login.account();
    if (services.quotas().isKnown(login.user(), account)) return welcome(login, serverFinal);
    Waiting waiting = new Waiting("counting the user's files");
    peer.pauseInput();
    services.quotas().whenKnown(login.user(), account, failure -> {
      if (session.current() != waiting) return;
      if (failure == null) {
        session.moveTo(welcome(login, serverFinal));
      } else {
        if (failure instanceof IOException io) {
          peer.send(Failures.toError(io, services.files(), peer.address()));
        } else {
          log.error("{}: counting the files of {} failed", peer.address(), LogText.of(login.user()), failure);
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
    log.info("{}: {} logged in", peer.address(), LogText.of(login.user()));
    return new Ready(login);
  }

  /** Answers a failed login only after a growing delay, without holding anyone else up. */
  private SessionState failed(String user) {
    Duration delay = logins.failed(user, addressKey);
    log.info("{}: failed login for {}; answering in {} ms", peer.address(), LogText.of(user), delay.toMillis());
    Waiting waiting = new Waiting("failed login");
    LoginThrottle.Ticket held = ticket;
    ticket = LoginThrottle.Ticket.NONE;
    peer.pauseInput();
    services.loop().schedule(delay.toNanos(), () -> {
      logins.release(held); // also when the connection closed meanwhile
      if (session.current() != waiting) return;
      peer.send(Response.Error.of(ErrorCode.AUTH_FAILED, "wrong user name or password"));
      session.moveTo(new AwaitingLogin());
      peer.resumeInput();
    });
    return waiting;
  }

  private void releaseTicket() {
    logins.release(ticket);
    ticket = LoginThrottle.Ticket.NONE;
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
      services.accountWork().run(() -> registrations.register(request.user(), credentials),
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
      peer.send(Failures.toError(io, services.files(), peer.address()));
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
