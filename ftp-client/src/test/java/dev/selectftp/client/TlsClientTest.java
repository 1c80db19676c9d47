package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.client.tls.Fingerprint;
import dev.selectftp.common.ChannelBinding;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.common.ScramServer;
import dev.selectftp.testing.TestCertificates;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's TLS over real handshakes with certificates made by openssl: the upgrade, trust by CA or by
 * a pin, the one-line refusals, channel binding, and what is dropped before the handshake.
 */
@Timeout(60)
class TlsClientTest {
  static final char[] PASSWORD = "s3cret".toCharArray();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  static TestCertificates certs;
  static ScramCredentials keys;

  @TempDir static Path certDir;
  @TempDir Path dir;
  private final List<String> notices = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.makeIn(certDir);
    byte[] salt = new byte[16];
    new Random(1).nextBytes(salt);
    keys = ScramCredentials.derive(PASSWORD, salt, FakeServer.ITERATIONS);
  }

  private Path knownServers() {
    return dir.resolve("home/.selectftp/known_servers");
  }

  private ClientTls tls(Path caCert) throws IOException {
    return ClientTls.create(caCert, knownServers(), notices::add);
  }

  private static FtpClient connect(FakeServer server, ClientTls tls) throws IOException {
    return FtpClient.connect("127.0.0.1", server.port(), TIMEOUT, tls);
  }

  /** The server's half of a bound login: its binding comes from the certificate it presents. */
  static void boundLogin(FakeServer.Peer peer, TestCertificates.Identity presented) throws Exception {
    byte[] binding = ChannelBinding.tlsServerEndPoint(presented.leaf());
    Request.AuthStart start = peer.read(Request.AuthStart.class);
    ScramServer scram = ScramServer.start(ScramServer.parseClientFirst(start.scram(), binding), keys);
    peer.send(new Response.AuthChallenge(200, "continue", scram.serverFirst()));
    Request.AuthFinish finish = peer.read(Request.AuthFinish.class);
    var serverFinal = scram.finish(finish.scram());
    if (serverFinal.isPresent()) {
      peer.send(new Response.AuthOk(200, "welcome", serverFinal.get(), "bob"));
    } else {
      peer.send(Response.Error.of(ErrorCode.AUTH_FAILED, "wrong user name or password"));
    }
  }

  private static FakeServer serving(TestCertificates.Identity identity, FakeServer.Script script) throws Exception {
    return FakeServer.startTls("required", identity.serverContext(), new byte[0], script);
  }

  @Test
  void firstUsePinsTheSelfSignedCertificateInTheFileAndLogsInBound() throws Exception {
    try (FakeServer server = serving(certs.selfSigned, peer -> boundLogin(peer, certs.selfSigned));
        FtpClient client = connect(server, tls(null))) {
      assertTrue(client.secure());
      client.login("bob", PASSWORD);
      assertEquals("bob", client.user());
      server.awaitScript();
      String pin = Fingerprint.of(certs.selfSigned.leaf()).toString();
      String key = "127.0.0.1:" + server.port();
      assertEquals(List.of(key + " " + pin), Files.readAllLines(knownServers()));
      assertEquals(List.of("pinned " + pin + " for " + key + " in " + knownServers().toAbsolutePath()), notices);
    }
  }

  @Test
  void aPinnedCertificateIsAcceptedWithoutANewLine() throws Exception {
    ClientTls tls = tls(null);
    for (int round = 0; round < 2; round++) {
      try (FakeServer server = serving(certs.selfSigned, peer -> boundLogin(peer, certs.selfSigned))) {
        Files.createDirectories(knownServers().getParent());
        Files.writeString(knownServers(), "# pins\n127.0.0.1:" + server.port() + " "
            + Fingerprint.of(certs.selfSigned.leaf()) + "\n");
        try (FtpClient client = connect(server, tls)) {
          client.login("bob", PASSWORD);
          server.awaitScript();
        }
      }
    }
    assertEquals(2, Files.readAllLines(knownServers()).size());
    assertEquals(List.of(), notices);
  }

  @Test
  void aChangedCertificateIsRefusedWithOneLineNamingTheFileAndTheLine() throws Exception {
    try (FakeServer server = serving(certs.otherSelfSigned, null)) {
      Files.createDirectories(knownServers().getParent());
      Files.writeString(knownServers(), "# pins\nelsewhere:1 SHA256:00\n127.0.0.1:" + server.port() + " "
          + Fingerprint.of(certs.selfSigned.leaf()) + "\n");
      SSLException e = assertThrows(SSLException.class, () -> connect(server, tls(null)));
      assertEquals("the certificate of 127.0.0.1:" + server.port() + " changed (now "
          + Fingerprint.of(certs.otherSelfSigned.leaf()) + "); if you trust the new one, remove line 3 of "
          + knownServers().toAbsolutePath(), e.getMessage());
    }
    assertEquals(3, Files.readAllLines(knownServers()).size(), "nothing was pinned");
  }

  @Test
  void aCaCertFileVouchesForACaSignedLeafAndNothingIsPinned() throws Exception {
    try (FakeServer server = serving(certs.caSigned, peer -> boundLogin(peer, certs.caSigned));
        FtpClient client = connect(server, tls(certs.caPem))) {
      client.login("bob", PASSWORD);
      server.awaitScript();
    }
    assertFalse(Files.exists(knownServers()));
    assertEquals(List.of(), notices);
  }

  @Test
  void aCaSignedLeafOfAnUnknownAuthorityIsRefusedInOneLine() throws Exception {
    try (FakeServer server = serving(certs.caSigned, null)) {
      SSLException e = assertThrows(SSLException.class, () -> connect(server, tls(null)));
      assertEquals("certificate for 127.0.0.1 is not signed by a trusted authority (give its CA with --cacert FILE)",
          e.getMessage());
    }
  }

  @Test
  void anExpiredCertificateIsRefusedInOneLine() throws Exception {
    try (FakeServer server = serving(certs.expired, null)) {
      SSLException e = assertThrows(SSLException.class, () -> connect(server, tls(certs.caPem)));
      assertEquals("certificate for 127.0.0.1 has expired on 2020-02-01 00:00 UTC", e.getMessage());
    }
  }

  @Test
  void aCertificateForAnotherNameIsRefusedInOneLine() throws Exception {
    try (FakeServer server = serving(certs.wrongName, null)) {
      SSLException e = assertThrows(SSLException.class, () -> connect(server, tls(certs.caPem)));
      assertEquals("certificate is for elsewhere.example, not 127.0.0.1", e.getMessage());
    }
  }

  @Test
  void aRelayWithAnotherCertificateFailsTheBoundLoginEvenWhenTheClientAcceptedIt() throws Exception {
    // The client pins what it sees (the relay's certificate); the real server binds to its own.
    try (FakeServer server = serving(certs.selfSigned, peer -> boundLogin(peer, certs.otherSelfSigned));
        FtpClient client = connect(server, tls(null))) {
      FtpException e = assertThrows(FtpException.class, () -> client.login("bob", PASSWORD));
      assertEquals(ErrorCode.AUTH_FAILED, e.code());
      server.awaitScript();
    }
  }

  @Test
  void bytesAfterTheStartTlsReplyAreNeitherTlsNorAReply() throws Exception {
    byte[] injected = bytes(MessageCodec.encode(new Response.AuthOk(200, "welcome", "v=forged", "mallory")));
    try (FakeServer server = FakeServer.startTls("optional", certs.selfSigned.serverContext(), injected,
            peer -> boundLogin(peer, certs.selfSigned));
        FtpClient client = connect(server, tls(null))) {
      client.login("bob", PASSWORD);
      assertEquals("bob", client.user());
      server.awaitScript();
    }
  }

  @Test
  void withTlsOffTheClientStaysPlainAndLogsInUnbound() throws Exception {
    try (FakeServer server = FakeServer.start(peer -> {
      Request.AuthStart start = peer.read(Request.AuthStart.class);
      assertTrue(start.scram().startsWith("n,,"), start.scram());
      peer.send(Response.Error.of(ErrorCode.TLS_REQUIRED, "this server requires TLS"));
    }); FtpClient client = connect(server, ClientTls.off())) {
      assertFalse(client.secure());
      FtpException e = assertThrows(FtpException.class, () -> client.login("bob", PASSWORD));
      assertEquals(ErrorCode.TLS_REQUIRED, e.code());
      assertFalse(client.isOpen(), "the server closes after tls-required");
      server.awaitScript();
    }
    assertEquals(List.of(), notices);
  }

  @Test
  void aServerWithoutTlsIsUsedPlainAfterOneWarning() throws Exception {
    ClientTls tls = tls(null);
    for (int round = 0; round < 2; round++) {
      try (FakeServer server = FakeServer.start(peer -> {
        peer.read(Request.PrintDir.class);
        peer.send(new Response.Cwd(200, "/", "/"));
      }); FtpClient client = FtpClient.connect("127.0.0.1", server.port(), TIMEOUT, tls)) {
        assertFalse(client.secure());
        assertEquals("/", client.pwd());
        server.awaitScript();
      }
    }
    assertEquals(2, notices.size(), "one per server, not one per connection to it: " + notices);
    assertTrue(notices.get(0).startsWith("warning: 127.0.0.1:"), notices.get(0));
  }

  /** Frames and raw bytes sharing TLS records and reads, as the plain wire's test has them sharing segments. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16 * 1024 - 60, 16 * 1024, 40_000, 3_000_001})
  void downloadsOverTlsKeepFramesAndRawBytesApart(int size) throws Exception {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    try (FakeServer server = serving(certs.selfSigned, peer -> {
      peer.read(Request.Get.class);
      peer.sendTogether(new Response.GetReady(200, "sending", content.length, 0, null), content,
          new Response.GetDone(200, "sent", hash), new Response.Cwd(200, "/", "/x"));
      peer.read(Request.PrintDir.class);
      peer.read(Request.PrintDir.class);
      peer.send(new Response.Cwd(200, "/", "/y"));
    }); FtpClient client = connect(server, tls(null))) {
      Path target = dir.resolve("a.bin");
      client.get("a.bin", target, TransferListener.NONE);
      assertArrayEquals(content, Files.readAllBytes(target));
      assertEquals("/x", client.pwd());
      assertEquals("/y", client.pwd());
      server.awaitScript();
    }
  }

  @Test
  void uploadsOverTlsArriveWhole() throws Exception {
    byte[] content = new byte[2_000_003];
    new Random(7).nextBytes(content);
    Path local = Files.write(dir.resolve("up.bin"), content);
    try (FakeServer server = serving(certs.selfSigned, peer -> {
      peer.read(Request.Put.class);
      peer.send(new Response.PutReady(200, "go", 0, null));
      Request.PutData data = peer.read(Request.PutData.class);
      assertArrayEquals(content, peer.readRaw(data.length()));
      Request.PutCommit commit = peer.read(Request.PutCommit.class);
      peer.send(new Response.PutDone(201, "stored", "/up.bin", content.length, commit.sha256()));
    }); FtpClient client = connect(server, tls(null))) {
      assertEquals(0, client.put(local, "up.bin", TransferListener.NONE).resumedFrom());
      server.awaitScript();
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }
}
