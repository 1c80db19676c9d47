package dev.selectftp.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.TlsOffer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate made when the operator gives none. */
class SelfSignedTest {
  private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private static final TlsSettings OPTIONAL = new TlsSettings(TlsOffer.OPTIONAL, null, null);

  @TempDir Path data;

  @Test
  void the_first_start_makes_an_owner_only_pair_that_later_starts_reuse() throws Exception {
    String first;
    try (ServerCertificates certificates = ServerCertificates.open(OPTIONAL, data, LOOPBACK)) {
      assertTrue(certificates.selfSigned());
      first = certificates.fingerprint();
    }
    Path key = data.resolve("tls").resolve("server-key.pem");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())));
    try (ServerCertificates again = ServerCertificates.open(OPTIONAL, data, LOOPBACK)) {
      assertEquals(first, again.fingerprint());
      SSLEngine client = EnginePair.clientTrusting(again.identity().leaf(), "TLSv1.3");
      new EnginePair(client, again.newServerEngine()).handshake();
      assertEquals("TLSv1.3", client.getSession().getProtocol());
    }
    assertFalse(Files.exists(key.resolveSibling(".server-key.pem.tmp")));
  }

  @Test
  void openssl_reads_it_as_an_ec_server_certificate_for_localhost_and_the_loopback_addresses() throws Exception {
    Openssl.assumeInstalled();
    String fingerprint;
    try (ServerCertificates certificates = ServerCertificates.open(OPTIONAL, data, LOOPBACK)) {
      fingerprint = certificates.fingerprint();
    }
    Path tls = data.resolve("tls");
    assertEquals(Openssl.fingerprint(tls, "server-cert.pem"), fingerprint);
    String text = Openssl.run(tls, "x509", "-in", "server-cert.pem", "-noout", "-text");
    for (String expected : new String[] {"DNS:localhost", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1",
        "CA:FALSE", "ecdsa-with-SHA256", "NIST CURVE: P-256", "TLS Web Server Authentication"}) {
      assertTrue(text.contains(expected), expected + " in\n" + text);
    }
    Openssl.run(tls, "pkey", "-in", "server-key.pem", "-noout");
  }

  @Test
  void it_is_valid_for_about_ten_years_from_an_hour_ago() throws Exception {
    ServerIdentity identity = SelfSigned.loadOrCreate(data, LOOPBACK);
    Instant notBefore = identity.leaf().getNotBefore().toInstant();
    Instant notAfter = identity.leaf().getNotAfter().toInstant();
    assertTrue(notBefore.isBefore(Instant.now().minus(Duration.ofMinutes(59))));
    assertEquals(SelfSigned.VALIDITY.plus(SelfSigned.BACKDATE).toDays(),
        Duration.between(notBefore, notAfter).toDays());
  }

  @Test
  void a_specific_bind_address_is_named_and_a_wildcard_is_not() throws Exception {
    InetSocketAddress specific = new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 2121);
    assertTrue(SelfSigned.names(specific).contains("192.0.2.10"));
    assertTrue(SelfSigned.names(new InetSocketAddress(2121)).containsAll(java.util.List.of("localhost", "127.0.0.1",
        "::1")));
    assertFalse(SelfSigned.names(new InetSocketAddress(2121)).contains("0.0.0.0"));
    assertFalse(SelfSigned.names(new InetSocketAddress(2121)).contains("0:0:0:0:0:0:0:0"));
  }

  @Test
  void a_damaged_pair_is_refused_rather_than_silently_replaced() throws Exception {
    String first = SelfSigned.loadOrCreate(data, LOOPBACK).fingerprint();
    Files.writeString(SelfSigned.keyFile(data), "damaged");
    TlsMaterialException e =
        assertThrows(TlsMaterialException.class, () -> ServerCertificates.open(OPTIONAL, data, LOOPBACK));
    assertTrue(e.getMessage().contains("delete both files"), e.getMessage());
    Files.delete(SelfSigned.keyFile(data));
    Files.delete(SelfSigned.certFile(data));
    assertNotEquals(first, SelfSigned.loadOrCreate(data, LOOPBACK).fingerprint());
  }

  @Test
  void a_key_left_alone_by_a_crash_is_replaced_by_a_new_pair() throws Exception {
    SelfSigned.loadOrCreate(data, LOOPBACK);
    Files.delete(SelfSigned.certFile(data));
    ServerIdentity identity = SelfSigned.loadOrCreate(data, LOOPBACK);
    assertEquals(identity.fingerprint(),
        PemFiles.load(SelfSigned.certFile(data), SelfSigned.keyFile(data)).fingerprint());
  }
}
