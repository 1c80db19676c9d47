package dev.selectftp.client.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust anchors (the system trust store, or the CAs of {@code --cacert}) as the JDK's PKIX trust
 * manager, read at the first certificate that needs them. Parsing the system store (about 150
 * certificates) costs a one-shot command about as much as its TLS handshake, and a server pinned in the
 * known-servers file never needs it ({@link ServerTrust}).
 */
final class Anchors {
  private final KeyStore storeOrNull;
  private X509ExtendedTrustManager trustManager;

  /** The anchors of {@code storeOrNull}, or of the system trust store when null; nothing is read yet. */
  Anchors(KeyStore storeOrNull) {
    this.storeOrNull = storeOrNull;
  }

  /** The trust manager, read now if this is the first call. */
  synchronized X509ExtendedTrustManager get() throws CertificateException {
    if (trustManager != null) return trustManager;
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(storeOrNull);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) trustManager = x509;
      }
    } catch (GeneralSecurityException e) {
      throw new CertificateException("cannot read the trust anchors: " + e.getMessage(), e);
    }
    if (trustManager == null) throw new IllegalStateException("the JDK's PKIX trust manager is missing");
    return trustManager;
  }
}
