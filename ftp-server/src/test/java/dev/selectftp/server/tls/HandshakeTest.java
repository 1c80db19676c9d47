package dev.selectftp.server.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.TlsOffer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real handshakes against engines from {@link ServerCertificates}: a JDK client in memory and openssl over loopback. */
class HandshakeTest {
  private static final InetSocketAddress BIND = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  @TempDir static Path dir;
  private static ServerCertificates certificates;
  private static X509Certificate leaf;

  @BeforeAll
  static void openssl_made_an_ec_pair() throws Exception {
    Openssl.assumeInstalled();
    Openssl.ecPair(dir, "cert.pem", "key.pem", "localhost");
    certificates = ServerCertificates.open(
        new TlsSettings(TlsOffer.REQUIRED, dir.resolve("cert.pem"), dir.resolve("key.pem")), dir, BIND);
    leaf = certificates.identity().leaf();
  }

  @AfterAll
  static void close() {
    if (certificates != null) certificates.close();
  }

  @Test
  void a_tls_1_3_client_completes_the_handshake_and_sees_the_servers_certificate() throws Exception {
    SSLEngine client = EnginePair.clientTrusting(leaf, "TLSv1.3");
    new EnginePair(client, certificates.newServerEngine()).handshake();
    assertEquals("TLSv1.3", client.getSession().getProtocol());
    assertEquals(leaf, client.getSession().getPeerCertificates()[0]);
  }

  @Test
  void a_tls_1_2_client_gets_an_ecdhe_aead_suite() throws Exception {
    SSLEngine client = EnginePair.clientTrusting(leaf, "TLSv1.2");
    new EnginePair(client, certificates.newServerEngine()).handshake();
    assertEquals("TLSv1.2", client.getSession().getProtocol());
    assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", client.getSession().getCipherSuite());
  }

  @Test
  void a_client_offering_only_cbc_suites_is_refused() throws Exception {
    SSLEngine client = EnginePair.clientTrusting(leaf, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
    assertThrows(SSLException.class, () -> new EnginePair(client, certificates.newServerEngine()).handshake());
  }

  @Test
  void a_client_offering_only_rsa_key_exchange_is_refused() throws Exception {
    SSLEngine client = EnginePair.clientTrusting(leaf, "TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256");
    assertThrows(SSLException.class, () -> new EnginePair(client, certificates.newServerEngine()).handshake());
  }

  @Test
  void every_engine_enables_tls_1_3_and_1_2_only_and_modern_suites_in_the_servers_order() {
    SSLEngine engine = certificates.newServerEngine();
    assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, engine.getEnabledProtocols());
    assertFalse(engine.getUseClientMode());
    assertTrue(engine.getSSLParameters().getUseCipherSuitesOrder());
    for (String suite : engine.getEnabledCipherSuites()) {
      assertTrue(suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_") || suite.startsWith("TLS_ECDHE_"),
          suite);
      assertTrue(suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305"), suite);
    }
    assertEquals(List.copyOf(TlsPolicy.CIPHER_SUITES), List.of(engine.getEnabledCipherSuites()));
  }

  @Test
  void tls_1_1_is_refused_even_on_a_jdk_whose_security_file_allows_it() throws Exception {
    Path security = dir.resolve("legacy.security");
    Files.writeString(security, "jdk.tls.disabledAlgorithms=\n");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Djava.security.properties=" + security,
        "-cp", System.getProperty("java.class.path"), LegacyJdkProbe.class.getName(),
        dir.resolve("cert.pem").toString(), dir.resolve("key.pem").toString())
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    assertTrue(output.contains("baseline accepted TLSv1.1"), output);
    assertTrue(output.contains("ours refused"), output);
    // TLS 1.1 has none of our AEAD suites, so the suite list alone refuses it; the protocol list is checked too.
    assertTrue(output.contains("ours protocols TLSv1.3,TLSv1.2\n"), output);
  }

  @Test
  void a_tls_1_2_client_cannot_renegotiate() throws Exception {
    assertEquals("true", System.getProperty(TlsPolicy.REJECT_RENEGOTIATION));
    SSLEngine client = EnginePair.clientTrusting(leaf, "TLSv1.2");
    EnginePair pair = new EnginePair(client, certificates.newServerEngine()).handshake();
    assertThrows(SSLException.class, pair::renegotiate);
  }

  @Test
  void openssl_s_client_connects_with_tls_1_3_and_with_tls_1_2_chacha20() throws Exception {
    try (SocketServer server = new SocketServer(certificates::newServerEngine)) {
      String port = "127.0.0.1:" + server.port();
      Openssl.Result tls13 = Openssl.tryRun(dir, null, "s_client", "-connect", port, "-tls1_3");
      assertEquals("TLSv1.3 TLS_AES_128_GCM_SHA256", server.outcome().get(10, TimeUnit.SECONDS), tls13.output());
      server.reset();
      Openssl.Result tls12 = Openssl.tryRun(dir, null, "s_client", "-connect", port, "-tls1_2", "-cipher",
          "ECDHE-ECDSA-CHACHA20-POLY1305");
      assertEquals("TLSv1.2 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          server.outcome().get(10, TimeUnit.SECONDS), tls12.output());
    }
  }

  @Test
  void openssl_s_client_is_refused_with_tls_1_1_and_with_cbc_only() throws Exception {
    try (SocketServer server = new SocketServer(certificates::newServerEngine)) {
      String port = "127.0.0.1:" + server.port();
      Openssl.Result tls11 = Openssl.tryRun(dir, null, "s_client", "-connect", port, "-tls1_1", "-cipher",
          "DEFAULT@SECLEVEL=0");
      assertNotEquals(0, tls11.exit(), tls11.output());
      assertThrows(ExecutionException.class, () -> server.outcome().get(10, TimeUnit.SECONDS));
      server.reset();
      Openssl.Result cbc = Openssl.tryRun(dir, null, "s_client", "-connect", port, "-tls1_2", "-cipher",
          "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA");
      assertNotEquals(0, cbc.exit(), cbc.output());
      assertThrows(ExecutionException.class, () -> server.outcome().get(10, TimeUnit.SECONDS));
    }
  }
}
