package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.ClientAddress;
import dev.selectftp.server.core.LoginFlow;
import dev.selectftp.server.core.LoginOutcome;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.AwaitingPass;
import dev.selectftp.server.protocol.ftp.FtpState.AwaitingUser;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.protocol.ftp.FtpState.Waiting;
import dev.selectftp.server.refusal.Refused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * USER and PASS. The password is checked against the stored SCRAM keys on the {@code passwords} helpers
 * while the session's input waits; the rest (the throttle, the made-up keys of unknown names, the failure
 * delay, the first file count) is the core's {@link LoginFlow}, as on the SelectFTP door. A plain-text
 * login is refused unless the control connection comes from loopback (as vsftpd's force_local_logins_ssl): a
 * password must not cross a network in clear; after AUTH TLS it is taken from anywhere, and under
 * {@code --tls required} only after AUTH TLS.
 */
final class FtpLogin {
  private static final Logger log = LoggerFactory.getLogger(FtpLogin.class);

  private final FtpControl control;
  private final FtpServices services;
  private final Peer peer;
  private final boolean loopback;
  private final LoginFlow flow;

  FtpLogin(FtpControl control, FtpServices services, Peer peer) {
    this.control = control;
    this.services = services;
    this.peer = peer;
    this.loopback = ClientAddress.isLoopback(peer.address());
    this.flow = new LoginFlow(services.logins(), services.files(), services.quotas(), services.store(),
        services.loop()::schedule,
        peer.address(), "FTP");
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
    String user = pending.user();
    char[] secret = password.toCharArray();
    Waiting waiting = new Waiting("logging in");
    control.moveTo(waiting);
    peer.pauseInput();
    try {
      // With a name the accounts database's mirror lacks, the credentials come after a read off the loop.
      flow.admit(user, stored -> derive(waiting, user, secret, stored));
    } catch (Refused refused) {
      control.reply(530, refused.getMessage());
      peer.resumeInput();
      return new AwaitingUser();
    }
    return control.current();
  }

  /** Checks PASS against {@code stored} on the {@code passwords} helpers. */
  private void derive(Waiting waiting, String user, char[] secret, ScramCredentials stored) {
    if (control.current() != waiting) return; // the connection closed meanwhile
    services.passwords().run(() -> PasswordCheck.matches(user, secret, stored, services.passwordCache()),
        (ok, failure) -> checked(waiting, user, Boolean.TRUE.equals(ok), failure));
  }

  /** On the loop once PASS was checked off it: from here on a login is the core's, as on every door. */
  private void checked(Waiting waiting, String user, boolean right, Exception failure) {
    if (control.current() != waiting) {
      flow.abandon(); // the connection closed meanwhile
      return;
    }
    if (failure != null) {
      flow.abandon();
      log.warn("{}: password check failed: {}", peer.address(), LogText.of(failure.toString()));
      control.reply(421, "the server cannot check passwords now");
      peer.closeAfterFlush();
      return;
    }
    flow.proven(user, right, outcome -> answer(waiting, user, outcome));
  }

  /** The outcome as FTP replies: 230, 530 (after the throttle's delay), or 421 and the connection closes. */
  private void answer(Waiting waiting, String user, LoginOutcome outcome) {
    if (control.current() != waiting) return;
    if (outcome instanceof LoginOutcome.Accepted accepted) {
      control.reply(230, "logged in");
      control.moveTo(new Ready(accepted.login(), null));
      peer.resumeInput();
    } else if (outcome instanceof LoginOutcome.Rejected) {
      control.reply(530, "wrong user name or password");
      control.moveTo(new AwaitingUser());
      peer.resumeInput();
    } else if (outcome instanceof LoginOutcome.Unavailable unavailable) {
      log.warn("{}: files of {} unavailable at login: {}", peer.address(), LogText.of(user),
          LogText.of(unavailable.failure().toString()));
      control.reply(421, "your files are not available now; see the server log");
      peer.closeAfterFlush();
    }
  }

  /** Gives up a login in flight (its throttle slot comes back); safe twice. */
  void close() {
    flow.abandon();
  }
}
