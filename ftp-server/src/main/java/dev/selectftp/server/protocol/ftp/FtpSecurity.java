package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.AwaitingPass;
import dev.selectftp.server.protocol.ftp.FtpState.AwaitingUser;
import dev.selectftp.server.tls.TlsFamily;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FTPS on one control connection (RFC 4217): AUTH TLS (and its old alias AUTH SSL), PBSZ, PROT and CCC, and
 * what they mean for login and data connections. After 234 the control connection upgrades in place (the
 * go-ahead in plain text, then the handshake; bytes that arrived behind AUTH are discarded, never read as if
 * they came over TLS). The session gets a {@link TlsFamily} of its own, so its PROT P data connections must
 * resume the control connection's TLS session (vsftpd's {@code require_ssl_reuse}). Under {@code --tls
 * required}, USER before AUTH TLS is refused (vsftpd's {@code force_local_logins_ssl}) and a transfer over PROT
 * C is refused with 522 (its {@code force_local_data_ssl}). Loop-thread confined.
 */
final class FtpSecurity {
  private static final Logger log = LoggerFactory.getLogger(FtpSecurity.class);

  private final FtpControl control;
  private final FtpTls tls;
  private final Peer peer;
  /** Set by AUTH TLS; from then on every command arrives over TLS (input waits until the upgrade). */
  private TlsFamily family;
  private boolean pbsz;
  private boolean privateData;

  FtpSecurity(FtpControl control, FtpTls tls, Peer peer) {
    this.control = control;
    this.tls = tls;
    this.peer = peer;
  }

  /** True once the control connection is (being) upgraded to TLS. */
  boolean controlProtected() {
    return family != null;
  }

  /** The refusal for USER, or null: under {@code --tls required} nobody logs in before AUTH TLS. */
  String loginRefusal() {
    return tls.required() && family == null ? "TLS required: send AUTH TLS first" : null;
  }

  /** The refusal of a transfer, or null: under {@code --tls required} data connections must be PROT P. */
  String dataRefusal() {
    return tls.required() && !privateData ? "data connections must be encrypted: send PBSZ 0 and PROT P" : null;
  }

  /** How the next data connection carries its bytes. */
  DataProtection dataProtection() {
    return privateData ? new DataProtection.Private(family, tls.support().handshakes()) : DataProtection.CLEAR;
  }

  /** What FEAT adds (RFC 4217 section 6): nothing when TLS is off. */
  List<String> features() {
    return tls.enabled() ? List.of("AUTH TLS", "PBSZ", "PROT") : List.of();
  }

  FtpState auth(FtpState state, String arg) {
    String mechanism = arg.strip().toUpperCase(Locale.ROOT);
    if (!tls.enabled()) {
      control.reply(502, "TLS not available on this server");
      return state;
    }
    if (!mechanism.equals("TLS") && !mechanism.equals("TLS-C") && !mechanism.equals("SSL")) {
      control.reply(504, "only AUTH TLS is known");
      return state;
    }
    if (family != null) {
      control.reply(503, "TLS is already on");
      return state;
    }
    if (!(state instanceof AwaitingUser) && !(state instanceof AwaitingPass)) {
      control.reply(503, "AUTH TLS must come before login");
      return state;
    }
    try {
      family = tls.support().engines().newFamily();
    } catch (UnsupportedOperationException e) {
      log.warn("{}: AUTH TLS refused: {}", peer.address(), LogText.of(e.getMessage()));
      control.reply(431, "TLS is not available now");
      return state;
    }
    control.reply(234, "AUTH " + mechanism + " ok; start the TLS handshake");
    peer.startTls(family::newControlEngine);
    return new AwaitingUser(); // RFC 4217 section 4: USER comes (again) over TLS
  }

  FtpState pbsz(FtpState state, String arg) {
    if (family == null) {
      control.reply(503, "PBSZ needs AUTH TLS first");
      return state;
    }
    pbsz = true;
    control.reply(200, "PBSZ=0"); // TLS frames records itself: the only buffer size is 0 (RFC 4217 section 8)
    return state;
  }

  FtpState prot(FtpState state, String arg) {
    if (family == null || !pbsz) {
      control.reply(503, "PROT needs AUTH TLS and PBSZ first");
      return state;
    }
    switch (arg.strip().toUpperCase(Locale.ROOT)) {
      case "C" -> {
        privateData = false;
        control.reply(200, "PROT C: data connections in clear");
      }
      case "P" -> {
        privateData = true;
        control.reply(200, "PROT P: data connections over TLS");
      }
      case "S", "E" -> control.reply(536, "only PROT C and PROT P are offered");
      default -> control.reply(504, "PROT takes C or P");
    }
    return state;
  }

  /** CCC (clear the control connection) is not offered: a password or a path must not go back to plain text. */
  FtpState ccc(FtpState state) {
    control.reply(502, "CCC is not offered");
    return state;
  }
}
