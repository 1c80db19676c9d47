package dev.selectftp.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * The generator other tests use to make certificates that are wrong on purpose: each kind fails a real
 * verifying client the way it would in the field.
 */
class CertificatesTest {
  private static final Instant NOW = Instant.now();
  private static final Duration DAY = Duration.ofDays(1);

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  @Test
  void a_leaf_signed_by_a_test_ca_passes_a_client_that_trusts_the_ca_and_checks_the_name() throws Exception {
    KeyPair caKeys = Certificates.newKeyPair();
    X509Certificate ca = Certificates.certificateAuthority(caKeys, "Test CA", NOW.minus(DAY), NOW.plus(DAY));
    KeyPair leafKeys = Certificates.newKeyPair();
    X509Certificate leaf = Certificates.caSigned(ca, caKeys.getPrivate(), leafKeys.getPublic(),
        List.of("localhost", "127.0.0.1"), NOW.minus(DAY), NOW.plus(DAY));
    SSLEngine client = checkingName(ca);
    new EnginePair(client, serve(List.of(leaf, ca), leafKeys)).handshake();
    assertEquals(leaf, client.getSession().getPeerCertificates()[0]);
  }

  @Test
  void an_expired_leaf_fails_a_client_that_trusts_its_ca() throws Exception {
    SSLException e = assertThrows(SSLException.class,
        () -> handshakeWithLeaf(NOW.minus(DAY.multipliedBy(10)), NOW.minus(DAY)));
    assertTrue(causes(e, java.security.cert.CertificateExpiredException.class), e.toString());
  }

  @Test
  void a_not_yet_valid_leaf_fails_a_client_that_trusts_its_ca() throws Exception {
    SSLException e = assertThrows(SSLException.class,
        () -> handshakeWithLeaf(NOW.plus(DAY), NOW.plus(DAY.multipliedBy(10))));
    assertTrue(causes(e, java.security.cert.CertificateNotYetValidException.class), e.toString());
  }

  /**
   * Note for pinning clients: a self-signed certificate trusted as its own anchor is never checked for dates
   * by PKIX (an anchor is trusted as is), so expiry is tested here on a leaf under a CA.
   */
  private void handshakeWithLeaf(Instant notBefore, Instant notAfter) throws Exception {
    KeyPair caKeys = Certificates.newKeyPair();
    X509Certificate ca = Certificates.certificateAuthority(caKeys, "Test CA", NOW.minus(DAY.multipliedBy(20)),
        NOW.plus(DAY.multipliedBy(20)));
    KeyPair leafKeys = Certificates.newKeyPair();
    X509Certificate leaf = Certificates.caSigned(ca, caKeys.getPrivate(), leafKeys.getPublic(), List.of("localhost"),
        notBefore, notAfter);
    new EnginePair(checkingName(ca), serve(List.of(leaf, ca), leafKeys)).handshake();
  }

  @Test
  void a_certificate_for_another_host_fails_a_client_that_checks_the_name() throws Exception {
    KeyPair keys = Certificates.newKeyPair();
    X509Certificate other = Certificates.selfSigned(keys, List.of("elsewhere.example"), NOW.minus(DAY), NOW.plus(DAY));
    SSLException e = assertThrows(SSLException.class,
        () -> new EnginePair(checkingName(other), serve(List.of(other), keys)).handshake());
    assertTrue(causes(e, java.security.cert.CertificateException.class), e.toString());
  }

  @Test
  void fingerprints_are_32_upper_case_hex_pairs_joined_by_colons() {
    KeyPair keys = Certificates.newKeyPair();
    String fingerprint =
        Certificates.fingerprint(Certificates.selfSigned(keys, List.of("localhost"), NOW, NOW.plus(DAY)));
    assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
  }

  /** A client for "localhost" that trusts {@code anchor} and checks the name as HTTPS does. */
  private static SSLEngine checkingName(X509Certificate anchor) throws Exception {
    SSLEngine client = EnginePair.clientTrusting(anchor, "TLSv1.3");
    SSLParameters parameters = client.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    client.setSSLParameters(parameters);
    return client;
  }

  /** A server engine for the chain, through a {@link ServerCertificates} built from written PEM files. */
  private SSLEngine serve(List<X509Certificate> chain, KeyPair keys) throws Exception {
    java.nio.file.Path cert = dir.resolve("cert.pem");
    java.nio.file.Path key = dir.resolve("key.pem");
    PemFiles.writeAtomically(cert, Certificates.toPem(chain), false);
    PemFiles.writeAtomically(key, Certificates.toPem(keys.getPrivate()), true);
    try (ServerCertificates certificates = ServerCertificates.open(
        new TlsSettings(dev.selectftp.common.TlsOffer.REQUIRED, cert, key), dir,
        new java.net.InetSocketAddress(0))) {
      return certificates.newServerEngine();
    }
  }

  private static boolean causes(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return true;
    }
    return false;
  }
}
