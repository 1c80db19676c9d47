package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.net.TlsSupport;
import java.util.Objects;

/**
 * What the FTP door offers of FTPS (RFC 4217): the server's {@code --tls} setting and, unless it is off, where
 * engines come from and the helper threads that run handshakes (the control connection's and the data
 * connections').
 *
 * @param support null exactly when {@code offer} is {@link TlsOffer#OFF}
 */
public record FtpTls(TlsOffer offer, TlsSupport support) {
  public FtpTls {
    Objects.requireNonNull(offer, "offer");
    if ((support == null) != (offer == TlsOffer.OFF)) throw new IllegalArgumentException("TLS support iff TLS is on");
  }

  public static FtpTls off() {
    return new FtpTls(TlsOffer.OFF, null);
  }

  boolean enabled() {
    return support != null;
  }

  boolean required() {
    return offer == TlsOffer.REQUIRED;
  }
}
