package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.ClientAddress;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.core.Login;
import dev.selectftp.server.core.Logins;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.AwaitingPass;
import dev.selectftp.server.protocol.ftp.FtpState.AwaitingUser;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.protocol.ftp.FtpState.Waiting;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * USER and PASS. The password is checked against the stored SCRAM keys on the {@code passwords} helpers
 * while the session's input waits; the throttle, the made-up keys of unknown names and the failure delay are
 * the SelectFTP door's, through {@link Logins}. A plain-text login is refused unless the control connection
 * comes from loopback (as vsftpd's force_local_logins_ssl): a password must not cross a network in clear;
 * after AUTH TLS it is taken from anywhere, and under {@code --tls required} only after AUTH TLS.
 */
final class FtpLogin {
  private static final Logger log = LoggerFactory.getLogger(FtpLogin.class);

  private final FtpControl control;
  private final FtpServices services;
  private final Peer peer;
  private final String addressKey;
  private final boolean loopback;
  /** The throttle slot of an attempt in flight, given back once it is answered (or the connection closes). */
  private LoginThrottle.Ticket ticket = LoginThrottle.Ticket.NONE;

  FtpLogin(FtpControl control, FtpServices services, Peer peer) {
    this.control = control;
    this.services = services;
    this.peer = peer;
    this.addressKey = ClientAddress.key(peer.address());
    this.loopback = ClientAddress.isLoopback(peer.address());
  }

  FtpState user(FtpState state, String name) {
    if (state instanceof Ready) {
      control.reply(530, "already logged in; reconnect to change users");
      return state;
    }
    String refusal = control.security().loginRefusal();
    if (refusal != null) {
      control.reply(530, refusal);
      return state;
    }
    if (name.isBlank()) {
      control.reply(501, "USER needs a name");
      return state;
    }
    control.reply(331, "password required");
    return new AwaitingPass(name.strip());
  }

  FtpState pass(FtpState state, String password) {
    if (state instanceof Ready) {
      control.reply(230, "already logged in");
      return state;
    }
    if (!(state instanceof AwaitingPass pending)) {
      control.reply(503, "send USER first");
      return state;
    }
    if (!loopback && !control.security().controlProtected()) {
      log.info("{}: plain-text login of {} refused", peer.address(), LogText.of(pending.user()));
      control.reply(530, "plain-text logins are only taken from this machine's loopback");
      return new AwaitingUser();
    }
    try {
      ticket = services.logins().admit(pending.user(), addressKey);
    } catch (Refused refused) {
      control.reply(530, refused.getMessage());
      return new AwaitingUser();
    }
    // From memory; an unknown name gets stable made-up keys, so the time taken reveals nobody.
    ScramCredentials stored = services.logins().credentialsFor(pending.user());
    char[] secret = password.toCharArray();
    Waiting waiting = new Waiting("checking a password");
    control.moveTo(waiting);
    peer.pauseInput();
    String user = pending.user();
    services.passwords().run(() -> PasswordCheck.matches(user, secret, stored, services.passwordCache()),
        (ok, failure) -> checked(waiting, pending.user(), Boolean.TRUE.equals(ok), failure));
    return control.current();
  }

  private void checked(Waiting waiting, String user, boolean ok, Exception failure) {
    if (control.current() != waiting) {
      close(); // the connection closed meanwhile
      return;
    }
    if (failure != null) {
      close();
      log.warn("{}: password check failed: {}", peer.address(), LogText.of(failure.toString()));
      control.reply(421, "the server cannot check passwords now");
      peer.closeAfterFlush();
      return;
    }
    Optional<User> found = ok ? services.logins().succeeded(user, addressKey) : Optional.empty();
    if (found.isEmpty()) {
      failed(user);
      return;
    }
    close();
    Login login;
    try {
      login = new Login(found.get().name(), found.get().created(), services.files().home(found.get().name()), "/");
    } catch (IOException e) {
      log.warn("{}: home of {} unavailable: {}", peer.address(), LogText.of(user), LogText.of(e.toString()));
      control.reply(421, "your home folder is not available; see the server log");
      peer.closeAfterFlush();
      return;
    }
    readyOnceCounted(login);
  }

  /** Logged in once the user's totals are known (one count off the loop at a first login), as SelectFTP does. */
  private void readyOnceCounted(Login login) {
    if (services.quotas().isKnown(login.user(), login.account())) {
      welcome(login);
      return;
    }
    Waiting counting = new Waiting("counting the user's files");
    control.moveTo(counting);
    services.quotas().whenKnown(login.user(), login.account(), failure -> {
      if (control.current() != counting) return;
      if (failure == null) {
        welcome(login);
      } else {
        log.warn("{}: counting the files of {} failed: {}", peer.address(), LogText.of(login.user()),
            LogText.of(failure.toString()));
        control.reply(421, "your files cannot be counted now; see the server log");
        peer.closeAfterFlush();
      }
    });
  }

  private void welcome(Login login) {
    log.info("{}: {} logged in over FTP", peer.address(), LogText.of(login.user()));
    control.reply(230, "logged in");
    control.moveTo(new Ready(login, null));
    peer.resumeInput();
  }

  /** A wrong password is answered only after the throttle's growing delay, a loop timer, holding no one up. */
  private void failed(String user) {
    Duration delay = services.logins().failed(user, addressKey);
    log.info("{}: failed FTP login for {}; answering in {} ms", peer.address(), LogText.of(user), delay.toMillis());
    Waiting waiting = new Waiting("failed login");
    control.moveTo(waiting);
    LoginThrottle.Ticket held = ticket;
    ticket = LoginThrottle.Ticket.NONE;
    services.loop().schedule(delay.toNanos(), () -> {
      services.logins().release(held); // also when the connection closed meanwhile
      if (control.current() != waiting) return;
      control.reply(530, "wrong user name or password");
      control.moveTo(new AwaitingUser());
      peer.resumeInput();
    });
  }

  /** Gives back the throttle slot held, if any; safe twice. */
  void close() {
    services.logins().release(ticket);
    ticket = LoginThrottle.Ticket.NONE;
  }
}
