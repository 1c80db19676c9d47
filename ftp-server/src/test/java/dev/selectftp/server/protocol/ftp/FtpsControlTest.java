package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.net.KeytoolTls;
import dev.selectftp.server.tls.TlsSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FTPS (RFC 4217) on the FTP door, spoken raw with the JDK's TLS client against the real server and a real
 * keytool certificate: AUTH TLS and what it discards, PBSZ/PROT order, session reuse on data connections,
 * {@code --tls required} and {@code off}, truncated uploads, and what crosses the wire under PROT P.
 */
class FtpsControlTest {
  private static final int BODY_BYTES = 300_000;
  /** A window of the file body this long found on the wire would mean plain text leaked. */
  private static final int WINDOW = 16;

  @TempDir static Path dir;
  static KeytoolTls tls;
  static FtpServer optional;
  static FtpServer required;
  static FtpServer off;

  @BeforeAll
  static void start() throws Exception {
    tls = KeytoolTls.generate(dir.resolve("tls"));
    optional = FtpServer.start(ServerConfig.forTests(dir.resolve("optional")).withFtpPort(0)
        .withTls(new TlsSettings(TlsOffer.OPTIONAL, null, null)), tls);
    required = FtpServer.start(ServerConfig.forTests(dir.resolve("required")).withFtpPort(0)
        .withTls(new TlsSettings(TlsOffer.REQUIRED, null, null)), tls);
    off = FtpServer.start(ServerConfig.forTests(dir.resolve("off")).withFtpPort(0));
  }

  @AfterAll
  static void stop() {
    for (FtpServer s : new FtpServer[] {optional, required, off}) {
      if (s != null) s.close();
    }
  }

  /** A client context of its own (its own session cache) that trusts the test certificate. */
  static SSLContext freshClient() throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server", tls.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  static byte[] body(long seed) {
    byte[] bytes = new byte[BODY_BYTES];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String code(String reply) {
    return reply.substring(0, 3);
  }

  @Test
  void featListsAuthTlsPbszAndProtOnlyWhenTlsIsOn() throws Exception {
    try (FtpLineClient c = new FtpLineClient(optional.ftpPort())) {
      c.reply();
      String feat = c.command("FEAT");
      assertTrue(feat.contains(" AUTH TLS\n") && feat.contains(" PBSZ\n") && feat.contains(" PROT\n"), feat);
    }
    try (FtpLineClient c = new FtpLineClient(off.ftpPort())) {
      c.reply();
      assertFalse(c.command("FEAT").contains("AUTH TLS"));
      assertEquals("502", code(c.command("AUTH TLS")), "--tls off: TLS not available");
    }
  }

  @Test
  void pbszAndProtBeforeAuthTlsGet503AndProtSAndEAreNotOffered() throws Exception {
    try (FtpsLineClient c = new FtpsLineClient(optional.ftpPort())) {
      c.reply();
      assertEquals("503", code(c.command("PROT P")));
      assertEquals("503", code(c.command("PBSZ 0")));
      assertEquals("504", code(c.command("AUTH KERBEROS")));
      assertEquals("234", code(c.command("AUTH TLS")));
      c.upgrade(freshClient());
      assertEquals("503", code(c.command("PROT P")), "PROT needs PBSZ first");
      assertEquals("200 PBSZ=0", c.command("PBSZ 0"));
      assertEquals("536", code(c.command("PROT S")));
      assertEquals("536", code(c.command("PROT E")));
      assertEquals("504", code(c.command("PROT X")));
      assertEquals("200", code(c.command("PROT P")));
      assertEquals("503", code(c.command("AUTH TLS")), "TLS is already on");
      assertEquals("502", code(c.command("CCC")));
    }
  }

  @Test
  void commandsPipelinedBehindAuthTlsInPlainTextAreDiscardedNotRunOverTls() throws Exception {
    try (FtpsLineClient c = new FtpsLineClient(optional.ftpPort())) {
      c.reply();
      // An attacker on the path appends a login to the client's AUTH TLS (CVE-2011-0411's class).
      c.sendRaw("AUTH TLS\r\nUSER xiaoyu\r\nPASS 123456\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals("234", code(c.reply()));
      c.upgrade(freshClient());
      assertEquals("530", code(c.command("PWD")), "the injected USER/PASS were never acted on");
      assertEquals("331", code(c.command("USER xiaoyu")));
      assertEquals("230", code(c.command("PASS 123456")));
    }
  }

  @Test
  void aProtPUploadAndDownloadThroughRelaysShowNoPlainTextOnTheWire() throws Exception {
    byte[] content = body(1);
    SSLContext client = freshClient();
    try (Relay control = new Relay(optional.ftpPort());
        FtpsLineClient c = new FtpsLineClient(control.port())) {
      assertEquals("200", code(c.loginOverTls(client)));
      byte[] back;
      Relay upWire;
      Relay downWire;
      try (Relay up = new Relay(c.passive())) {
        upWire = up;
        c.sendRaw("STOR wire.bin\r\n".getBytes(StandardCharsets.US_ASCII));
        try (TlsDataClient data = c.resuming(up.port(), client)) {
          assertEquals("150", code(c.reply()));
          data.handshake();
          data.write(content);
          data.closeNotify();
          // As ftplib's unwrap does: read to the server's close_notify, taking the session ticket held until
          // then (the JDK client uses a TLS 1.3 ticket once, so the next data connection needs this one).
          assertEquals(0, data.readAll().length);
          assertTrue(c.reply().startsWith("226 stored /wire.bin"));
        }
      }
      try (Relay down = new Relay(c.passive())) {
        downWire = down;
        c.sendRaw("RETR wire.bin\r\n".getBytes(StandardCharsets.US_ASCII));
        try (TlsDataClient data = c.resuming(down.port(), client)) {
          assertEquals("150", code(c.reply()));
          data.handshake();
          back = data.readAll();
        }
        assertEquals("226", code(c.reply()));
      }
      assertArrayEquals(content, back);
      // The detector works: the same file under PROT C shows on the wire.
      assertEquals("200", code(c.command("PROT C")));
      try (Relay clear = new Relay(c.passive())) {
        c.sendRaw("RETR wire.bin\r\n".getBytes(StandardCharsets.US_ASCII));
        try (Socket data = new Socket(InetAddress.getLoopbackAddress(), clear.port())) {
          assertEquals("150", code(c.reply()));
          assertArrayEquals(content, data.getInputStream().readAllBytes());
        }
        assertEquals("226", code(c.reply()));
        assertThrows(AssertionError.class, () -> assertNoWindowOf(content, clear.seen(), "clear wire"));
      }
      assertNoWindowOf(content, upWire.seen(), "upload wire");
      assertNoWindowOf(content, downWire.seen(), "download wire");
      assertTrue(upWire.seen().length > BODY_BYTES && downWire.seen().length > BODY_BYTES, "the bytes went via the relays");
      String controlWire = new String(control.seen(), StandardCharsets.ISO_8859_1);
      assertTrue(controlWire.contains("AUTH TLS"), "the relay saw the control connection");
      assertFalse(controlWire.contains("123456") || controlWire.contains("xiaoyu") || controlWire.contains("wire.bin"),
          "no password, user or path in clear after AUTH TLS");
    }
    assertArrayEquals(content, Files.readAllBytes(dir.resolve("optional/home/xiaoyu/wire.bin")));
  }

  private static void assertNoWindowOf(byte[] content, byte[] wire, String what) {
    String haystack = new String(wire, StandardCharsets.ISO_8859_1);
    for (int at = 0; at + WINDOW <= content.length; at += 4096) {
      String needle = new String(content, at, WINDOW, StandardCharsets.ISO_8859_1);
      assertFalse(haystack.contains(needle), what + " carries plain file bytes at offset " + at);
    }
  }

  @Test
  void aProtPDataConnectionThatDoesNotResumeTheControlSessionIsRefusedWith522AndTheFileIsUntouched()
      throws Exception {
    Path file = dir.resolve("optional/home/xiaoyu/keep.bin");
    byte[] before = "as it was".getBytes(StandardCharsets.US_ASCII);
    Files.write(file, before);
    try (FtpsLineClient c = new FtpsLineClient(optional.ftpPort())) {
      assertEquals("200", code(c.loginOverTls(freshClient())));
      int port = c.passive();
      c.sendRaw("STOR keep.bin\r\n".getBytes(StandardCharsets.US_ASCII));
      // A client with a cache of its own: its data connection offers no session of this control connection.
      try (SSLSocket data = c.data(port, freshClient())) {
        assertEquals("150", code(c.reply()));
        assertThrows(IOException.class, data::startHandshake);
      }
      assertTrue(c.reply().startsWith("522 TLS session reuse required"));
      assertEquals("257", code(c.command("PWD")), "the control connection goes on");
    }
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void aDataConnectionResumingAnotherControlConnectionsSessionIsRefused() throws Exception {
    SSLContext mine = freshClient();
    SSLContext theirs = freshClient();
    try (FtpsLineClient victim = new FtpsLineClient(optional.ftpPort());
        FtpsLineClient thief = new FtpsLineClient(optional.ftpPort())) {
      assertEquals("200", code(victim.loginOverTls(mine)));
      assertEquals("200", code(thief.loginOverTls(theirs)));
      int port = victim.passive();
      victim.sendRaw("NLST\r\n".getBytes(StandardCharsets.US_ASCII));
      // Same address, a valid session of this server, but the thief's: the victim's family refuses it.
      try (TlsDataClient data = thief.resuming(port, theirs)) {
        assertEquals("150", code(victim.reply()));
        assertThrows(IOException.class, data::handshake); // a handshake_failure alert or the close
      }
      assertEquals("522", code(victim.reply()));
    }
  }

  @Test
  void anUploadCutWithoutCloseNotifyIsNotPublished() throws Exception {
    SSLContext client = freshClient();
    try (FtpsLineClient c = new FtpsLineClient(optional.ftpPort())) {
      assertEquals("200", code(c.loginOverTls(client)));
      int port = c.passive();
      c.sendRaw("STOR cut.bin\r\n".getBytes(StandardCharsets.US_ASCII));
      try (TlsDataClient data = c.resuming(port, client)) {
        assertEquals("150", code(c.reply()));
        data.handshake();
        data.write(body(2));
        data.cut(); // a FIN with no close_notify before it: what a truncation on the path looks like
        String reply = c.reply();
        assertTrue(reply.startsWith("426 upload truncated"), reply);
      }
    }
    assertFalse(Files.exists(dir.resolve("optional/home/xiaoyu/cut.bin")), "a truncated upload is never published");
  }

  @Test
  void underTlsRequiredUserBeforeAuthTlsAndAProtCTransferAreRefused() throws Exception {
    try (FtpsLineClient c = new FtpsLineClient(required.ftpPort())) {
      c.reply();
      assertEquals("530 TLS required: send AUTH TLS first", c.command("USER xiaoyu"));
      assertEquals("234", code(c.command("AUTH TLS")));
      c.upgrade(freshClient());
      assertEquals("331", code(c.command("USER xiaoyu")));
      assertEquals("230", code(c.command("PASS 123456")));
      c.passive();
      assertEquals("522", code(c.command("NLST")), "no PROT P yet: data would go in clear");
      assertEquals("200", code(c.command("PBSZ 0")));
      assertEquals("200", code(c.command("PROT C")));
      c.passive();
      assertEquals("522", code(c.command("NLST")));
    }
  }

  @Test
  void afterAuthTlsALoginFromANonLoopbackAddressIsAccepted() throws Exception {
    java.util.Optional<InetAddress> address = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
        .stream().filter(nic -> { try { return nic.isUp() && !nic.isLoopback(); } catch (IOException e) { return false; } })
        .flatMap(nic -> java.util.Collections.list(nic.getInetAddresses()).stream())
        .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
    org.junit.jupiter.api.Assumptions.assumeTrue(address.isPresent(), "no non-loopback IPv4 address here");
    try (FtpServer remote = FtpServer.start(ServerConfig.forTests(dir.resolve("remote")).withFtpPort(0)
            .withBind(new java.net.InetSocketAddress(address.get(), 0))
            .withTls(new TlsSettings(TlsOffer.OPTIONAL, null, null)), tls);
        FtpsLineClient c = new FtpsLineClient(address.get(), remote.ftpPort())) {
      // The plain-text refusal of PlainLoginTest does not apply once the password travels inside TLS.
      assertEquals("200", code(c.loginOverTls(freshClient())));
      assertEquals("257", code(c.command("PWD")));
    }
  }

  @Test
  void underTlsOptionalAProtCTransferAfterAuthTlsIsAllowed() throws Exception {
    try (FtpsLineClient c = new FtpsLineClient(optional.ftpPort())) {
      c.reply();
      assertEquals("234", code(c.command("AUTH TLS")));
      c.upgrade(freshClient());
      c.command("USER xiaoyu");
      assertEquals("230", code(c.command("PASS 123456")));
      int port = c.passive();
      c.sendRaw("NLST\r\n".getBytes(StandardCharsets.US_ASCII));
      try (Socket data = new Socket(InetAddress.getLoopbackAddress(), port)) {
        assertEquals("150", code(c.reply()));
        String names = new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(names.contains("welcome.txt"), names);
      }
      assertEquals("226", code(c.reply()));
    }
  }
}
