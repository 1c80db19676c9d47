package dev.selectftp.client.tls;

import java.security.cert.CertificateException;

/**
 * Why this client refused a server's certificate, as the one line the user sees. Thrown from the trust
 * manager inside the TLS handshake, which wraps it in an {@link javax.net.ssl.SSLHandshakeException}; find
 * it among that exception's causes with {@link #in(Throwable)}.
 */
public final class CertificateRefusal extends CertificateException {
  private static final long serialVersionUID = 1L;

  public CertificateRefusal(String line, Throwable cause) {
    super(line, cause);
  }

  /** The refusal among {@code e}'s causes, or null when the handshake failed for another reason. */
  public static CertificateRefusal in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateRefusal refusal) return refusal;
      if (t.getCause() == t) break;
    }
    return null;
  }
}
