package dev.selectftp.server.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.selectftp.common.TlsOffer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TlsFamily} in memory, under TLS 1.3 and 1.2: the control engine does a full handshake; a data
 * engine completes only a resumption of the family's own session; and why comparing session IDs would not do.
 */
class TlsFamilyTest {
  private static final InetSocketAddress BIND = new InetSocketAddress("127.0.0.1", 2121);
  @TempDir static Path dir;
  static ServerCertificates certificates;

  @BeforeAll
  static void open() throws Exception {
    certificates = ServerCertificates.open(new TlsSettings(TlsOffer.REQUIRED, null, null), dir, BIND);
  }

  @AfterAll
  static void close() {
    certificates.close();
  }

  /** A client with a session cache of its own, trusting the server's certificate. */
  private static SSLContext client() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("anchor", certificates.identity().leaf());
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /** Client engines of one context share its cache, keyed by this host and port, as an FTPS client's would. */
  private static SSLEngine clientEngine(SSLContext context, String protocol) {
    SSLEngine engine = context.createSSLEngine("localhost", 2121);
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(new String[] {protocol});
    return engine;
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void aDataEngineResumesTheControlSessionAndNothingElse(String protocol) throws Exception {
    TlsFamily family = certificates.newFamily();
    SSLContext client = client();
    SSLEngine control = family.newControlEngine();
    new EnginePair(clientEngine(client, protocol), control).handshake();
    assertEquals(protocol, control.getSession().getProtocol());

    SSLEngine data = family.newResumingEngine();
    new EnginePair(clientEngine(client, protocol), data).handshake();
    assertEquals(protocol, data.getSession().getProtocol());
    if (protocol.equals("TLSv1.2")) {
      assertArrayEquals(control.getSession().getId(), data.getSession().getId(), "TLS 1.2 resumes by session ID");
    } else {
      // A TLS 1.3 resumption gets a session with a new ID: comparing IDs cannot tell a resumption.
      assertFalse(Arrays.equals(control.getSession().getId(), data.getSession().getId()));
    }

    // A client without the session: its full handshake finds no certificate for a data engine.
    assertThrows(SSLHandshakeException.class,
        () -> new EnginePair(clientEngine(client(), protocol), family.newResumingEngine()).handshake());

    // A session of another family (another FTPS session of the same server) is not resumed either.
    TlsFamily other = certificates.newFamily();
    SSLContext otherClient = client();
    new EnginePair(clientEngine(otherClient, protocol), other.newControlEngine()).handshake();
    assertThrows(SSLHandshakeException.class,
        () -> new EnginePair(clientEngine(otherClient, protocol), family.newResumingEngine()).handshake());
  }
}
