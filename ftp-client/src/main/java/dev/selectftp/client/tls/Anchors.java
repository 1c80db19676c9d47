package dev.selectftp.client.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust anchors (the system trust store, or the CAs of {@code --cacert}) as the JDK's PKIX trust
 * manager, loaded on a daemon thread from the moment the client's TLS is set up. Parsing the system store
 * (about 150 certificates) costs a one-shot command about as much as connecting and the first half of the
 * handshake, and nothing needs the anchors before the server's certificate has arrived, so the two overlap.
 */
final class Anchors {
  private final FutureTask<X509ExtendedTrustManager> loading;

  private Anchors(FutureTask<X509ExtendedTrustManager> loading) {
    this.loading = loading;
  }

  /** Starts loading the anchors of {@code storeOrNull}, or of the system trust store when null. */
  static Anchors load(KeyStore storeOrNull) {
    Anchors anchors = new Anchors(new FutureTask<>(() -> trustManager(storeOrNull)));
    Thread thread = new Thread(anchors.loading, "tls-anchors");
    thread.setDaemon(true);
    thread.start();
    return anchors;
  }

  /** The trust manager, waiting for it to be loaded. */
  X509ExtendedTrustManager get() throws CertificateException {
    try {
      return loading.get();
    } catch (ExecutionException e) {
      throw new CertificateException("cannot read the trust anchors: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CertificateException("interrupted while reading the trust anchors", e);
    }
  }

  private static X509ExtendedTrustManager trustManager(KeyStore storeOrNull) throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(storeOrNull);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) return x509;
    }
    throw new IllegalStateException("the JDK's PKIX trust manager is missing");
  }
}
