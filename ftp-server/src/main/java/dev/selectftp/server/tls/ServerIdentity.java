package dev.selectftp.server.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain (the server's own certificate first, then the intermediates that lead to a trusted
 * root, as Let's Encrypt's {@code fullchain.pem}) and the private key of its first certificate, already
 * checked to match.
 */
public record ServerIdentity(List<X509Certificate> chain, PrivateKey key) {
  public ServerIdentity {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) throw new IllegalArgumentException("empty certificate chain");
    if (key == null) throw new IllegalArgumentException("no private key");
  }

  /** The server's own certificate, the one the key belongs to and channel binding hashes. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** The leaf's SHA-256 fingerprint as {@code openssl x509 -noout -fingerprint -sha256} prints it. */
  public String fingerprint() {
    return Certificates.fingerprint(leaf());
  }

  /** Never the key: a record's default toString would print it into a log line. */
  @Override
  public String toString() {
    return "ServerIdentity[" + leaf().getSubjectX500Principal().getName() + ", " + fingerprint() + "]";
  }
}
