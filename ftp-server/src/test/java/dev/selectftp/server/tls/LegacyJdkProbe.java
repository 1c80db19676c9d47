package dev.selectftp.server.tls;

import dev.selectftp.common.TlsOffer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * Run in a child JVM whose security file allows TLS 1.0 and 1.1 (as older JDKs and edited java.security
 * files do): a TLS 1.1 client against a plain JDK engine (the baseline, showing the JVM allows it) and
 * against ours. Prints one line per engine: {@code baseline accepted|refused}, {@code ours accepted|refused}, and
 * the protocols our engine enables there.
 */
public final class LegacyJdkProbe {
  private static final String TLS_1_1 = "TLSv1.1";
  private static final String CBC_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";

  private LegacyJdkProbe() {}

  public static void main(String[] args) throws Exception {
    Path cert = Path.of(args[0]);
    Path key = Path.of(args[1]);
    try (ServerCertificates ours = ServerCertificates.open(new TlsSettings(TlsOffer.REQUIRED, cert, key),
        cert.getParent(), new InetSocketAddress(0))) {
      System.out.println("baseline " + tryTls11(ours, plainEngine(ours.identity())));
      System.out.println("ours " + tryTls11(ours, ours.newServerEngine()));
      System.out.println("ours protocols " + String.join(",", ours.newServerEngine().getEnabledProtocols()));
    }
  }

  private static String tryTls11(ServerCertificates ours, SSLEngine server) throws Exception {
    SSLEngine client = EnginePair.clientTrusting(ours.identity().leaf(), TLS_1_1, CBC_SUITE);
    try {
      new EnginePair(client, server).handshake();
      return "accepted " + client.getSession().getProtocol();
    } catch (SSLException e) {
      return "refused";
    }
  }

  /** A server engine with the JDK's defaults, for the same key. */
  private static SSLEngine plainEngine(ServerIdentity identity) throws Exception {
    char[] password = "probe".toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", identity.key(), password,
        identity.chain().toArray(java.security.cert.X509Certificate[]::new));
    KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2", TLS_1_1});
    engine.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256", CBC_SUITE});
    return engine;
  }
}
