package dev.selectftp.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.TlsOffer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New files are served to new handshakes without a restart; broken ones are not. */
class ReloadTest {
  private static final Duration POLL = Duration.ofMillis(40);
  private static final long WAIT_MILLIS = 10_000;
  private static final InetSocketAddress BIND = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  @TempDir Path dir;
  private Path archive;
  private Path live;

  @BeforeEach
  void certbot_layout_with_links_from_live_into_archive() throws Exception {
    Openssl.assumeInstalled();
    archive = Files.createDirectories(dir.resolve("archive"));
    live = Files.createDirectories(dir.resolve("live"));
    Openssl.ecPair(archive, "fullchain1.pem", "privkey1.pem", "localhost");
    Openssl.ecPair(archive, "fullchain2.pem", "privkey2.pem", "localhost");
    link("fullchain.pem", "fullchain1.pem");
    link("privkey.pem", "privkey1.pem");
  }

  @Test
  void a_renewal_that_repoints_the_links_is_served_to_new_handshakes_and_old_engines_keep_theirs() throws Exception {
    try (ServerCertificates certificates = open()) {
      String first = certificates.fingerprint();
      assertEquals(Openssl.fingerprint(archive, "fullchain1.pem"), first);
      SSLEngine opened = certificates.newServerEngine();
      link("fullchain.pem", "fullchain2.pem");
      link("privkey.pem", "privkey2.pem");
      String second = Openssl.fingerprint(archive, "fullchain2.pem");
      await(() -> certificates.fingerprint().equals(second));
      assertEquals(second, peerFingerprint(certificates.identity().leaf(), certificates.newServerEngine()));
      X509Certificate old = PemFiles.load(archive.resolve("fullchain1.pem"), archive.resolve("privkey1.pem")).leaf();
      assertEquals(first, peerFingerprint(old, opened));
      assertEquals(1, certificates.reloads());
    }
  }

  @Test
  void a_broken_replacement_keeps_the_old_certificate_and_warns_once_until_it_is_fixed() throws Exception {
    try (ServerCertificates certificates = open()) {
      String first = certificates.fingerprint();
      link("privkey.pem", "privkey2.pem"); // the new key with the old certificate
      await(() -> certificates.rejections() == 1);
      long seen = certificates.checks();
      await(() -> certificates.checks() >= seen + 5);
      assertEquals(1, certificates.rejections());
      assertEquals(first, certificates.fingerprint());
      assertEquals(first, peerFingerprint(certificates.identity().leaf(), certificates.newServerEngine()));
      Files.writeString(archive.resolve("fullchain1.pem"), "truncated by a full disk");
      link("privkey.pem", "privkey1.pem");
      await(() -> certificates.rejections() == 2);
      assertEquals(first, certificates.fingerprint());
      link("fullchain.pem", "fullchain2.pem");
      link("privkey.pem", "privkey2.pem");
      await(() -> !certificates.fingerprint().equals(first));
      assertEquals(Openssl.fingerprint(archive, "fullchain2.pem"), certificates.fingerprint());
    }
  }

  @Test
  void a_look_between_certbots_two_link_swaps_neither_warns_nor_swaps_and_the_next_look_loads_the_pair()
      throws Exception {
    try (ServerCertificates certificates = open(Duration.ofHours(1))) {
      String first = certificates.fingerprint();
      link("fullchain.pem", "fullchain2.pem"); // the new certificate, the old key still linked
      certificates.check();
      assertEquals(0, certificates.rejections());
      assertEquals(first, certificates.fingerprint());
      link("privkey.pem", "privkey2.pem");
      certificates.check();
      assertEquals(0, certificates.rejections());
      assertEquals(Openssl.fingerprint(archive, "fullchain2.pem"), certificates.fingerprint());
      link("privkey.pem", "privkey1.pem"); // now broken for good: one warning, however often it is looked at
      certificates.check();
      certificates.check();
      certificates.check();
      assertEquals(1, certificates.rejections());
    }
  }

  @Test
  void closing_stops_the_polling_and_is_safe_twice() throws Exception {
    ServerCertificates certificates = open();
    await(() -> certificates.checks() >= 2);
    certificates.close();
    certificates.close();
    Thread.sleep(POLL.toMillis() * 2);
    long after = certificates.checks();
    Thread.sleep(POLL.toMillis() * 5);
    assertEquals(after, certificates.checks());
    assertNotEquals(null, certificates.newServerEngine());
  }

  private ServerCertificates open() throws TlsMaterialException {
    return open(POLL);
  }

  private ServerCertificates open(Duration poll) throws TlsMaterialException {
    TlsSettings settings =
        new TlsSettings(TlsOffer.REQUIRED, live.resolve("fullchain.pem"), live.resolve("privkey.pem"));
    return ServerCertificates.open(settings, dir, BIND, poll);
  }

  /** Points {@code live/name} at {@code archive/target} with a rename over the old link, as certbot does. */
  private void link(String name, String target) throws Exception {
    Path temp = live.resolve(name + ".new");
    Files.deleteIfExists(temp);
    Files.createSymbolicLink(temp, Path.of("..", "archive", target));
    Files.move(temp, live.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String peerFingerprint(X509Certificate trusted, SSLEngine server) throws Exception {
    SSLEngine client = EnginePair.clientTrusting(trusted, "TLSv1.3");
    new EnginePair(client, server).handshake();
    return Certificates.fingerprint((X509Certificate) client.getSession().getPeerCertificates()[0]);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + WAIT_MILLIS + " ms");
      Thread.sleep(5);
    }
  }
}
