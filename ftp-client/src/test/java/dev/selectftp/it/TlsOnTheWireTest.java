package dev.selectftp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.TransferListener;
import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.tls.TlsSettings;
import dev.selectftp.testing.InterceptingRelay;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.RecordingRelay;
import dev.selectftp.testing.TestCertificates;
import dev.selectftp.testing.TestFiles;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server with {@code --tls required} and its self-signed certificate, the real client, and relays
 * on the path: one that records every byte (an eavesdropper) and one that terminates TLS with a certificate
 * of its own (a man in the middle).
 */
class TlsOnTheWireTest {
  private static final Duration TIMEOUT = LiveServer.TIMEOUT;
  /** A user name that cannot appear in a recording by chance. */
  private static final String USER = "wilhelmina-q";
  private static final char[] PASSWORD = "correct horse battery".toCharArray();
  /** Window compared against the recording: any 16 bytes of the random file found there would be a leak. */
  private static final int LEAK_WINDOW = 16;

  @TempDir Path work;
  @RegisterExtension final LiveServer server = LiveServer.notStarted();
  private final List<String> notices = new ArrayList<>();
  private Path knownServers;

  @BeforeEach
  void startRequiringTls() throws Exception {
    server.start(config -> config.withTls(new TlsSettings(TlsOffer.REQUIRED, null, null)));
    knownServers = work.resolve("known_servers");
  }

  private InetSocketAddress serverAddress() {
    return new InetSocketAddress("127.0.0.1", server.port());
  }

  private FtpClient connect(InetSocketAddress to) throws Exception {
    return FtpClient.connect(to.getHostString(), to.getPort(), TIMEOUT,
        ClientTls.create(null, knownServers, notices::add));
  }

  @Test
  void anEavesdropperSeesNoFileByteNoRequestAndNoUserName() throws Exception {
    Path up = work.resolve("secret.bin");
    byte[] content = TestFiles.writeRandom(up, 42, 300_000);
    Path down = work.resolve("back.bin");
    try (RecordingRelay relay = new RecordingRelay(serverAddress())) {
      try (FtpClient client = connect(relay.address())) {
        assertTrue(client.secure(), "the client upgraded");
        client.register(USER, PASSWORD);
        client.login(USER, PASSWORD);
        client.put(up, "secret.bin", TransferListener.NONE);
        client.list(null);
        client.get("secret.bin", down, TransferListener.NONE);
        client.quit();
      }
      assertArrayEquals(content, Files.readAllBytes(down), "the file made the round trip through TLS");
      byte[] wire = relay.recorded();
      assertTrue(wire.length > content.length * 2, "both transfers crossed the relay: " + wire.length);
      String text = new String(wire, StandardCharsets.ISO_8859_1);
      assertFalse(text.contains(USER), "the user name is not on the wire");
      // Only the plain-text upgrade is readable: hello, start-tls and its reply.
      assertEquals(3, count(text, "{\"type\":"), "JSON frames on the wire");
      assertTrue(text.contains("{\"type\":\"hello\""));
      assertEquals(2, count(text, "{\"type\":\"start-tls\""));
      for (String request : List.of("register", "auth-start", "put", "list", "get", "quit")) {
        assertFalse(text.contains("\"" + request + "\""), request + " is not readable on the wire");
      }
      for (int at = 0; at + LEAK_WINDOW <= content.length; at += 4096) {
        byte[] window = Arrays.copyOfRange(content, at, at + LEAK_WINDOW);
        assertFalse(indexOf(wire, window) >= 0, "file bytes at offset " + at + " are on the wire");
      }
    }
  }

  @Test
  void aRelayWithItsOwnCertificateIsRefusedByAClientThatPinnedTheServer() throws Exception {
    try (FtpClient direct = connect(serverAddress())) {
      assertTrue(direct.secure());
    }
    String printed = server.server().certificateFingerprint().orElseThrow();
    assertEquals(List.of("pinned SHA256:" + printed + " for 127.0.0.1:" + server.port() + " in " + knownServers),
        notices, "first use pins the fingerprint the server printed at start");
    TestCertificates certs = TestCertificates.makeIn(Files.createDirectories(work.resolve("certs")));
    try (InterceptingRelay relay = new InterceptingRelay(serverAddress(), certs.selfSigned.serverContext())) {
      // The relay listens on another port, so pin the server's key under the relay's address too, as a
      // client that reached the server there before (DNS or a port forward) would have.
      String pinned = Files.readString(knownServers).strip();
      Files.writeString(knownServers, pinned + "\n" + pinned.replace(":" + server.port() + " ",
          ":" + relay.address().getPort() + " ") + "\n");
      SSLException refused = assertThrows(SSLException.class, () -> connect(relay.address()));
      assertTrue(refused.getMessage().contains(knownServers.toString()), refused.getMessage());
      assertFalse(refused.getMessage().contains("\n"), "one line: " + refused.getMessage());
    }
  }

  @Test
  void aClientThatAcceptedTheRelaysCertificateStillCannotLogInThroughIt() throws Exception {
    try (FtpClient direct = connect(serverAddress())) {
      direct.register(USER, PASSWORD);
    }
    TestCertificates certs = TestCertificates.makeIn(Files.createDirectories(work.resolve("certs")));
    try (InterceptingRelay relay = new InterceptingRelay(serverAddress(), certs.selfSigned.serverContext());
        FtpClient fooled = connect(relay.address())) {
      assertTrue(fooled.secure(), "the client took the relay's certificate on first use");
      FtpException e = assertThrows(FtpException.class, () -> fooled.login(USER, PASSWORD));
      assertEquals(ErrorCode.AUTH_FAILED, e.code(), "channel binding: the proof names the relay's certificate");
    }
  }

  @Test
  void aByteForByteRelayDoesNotDisturbTheBoundLogin() throws Exception {
    try (RecordingRelay relay = new RecordingRelay(serverAddress());
        FtpClient client = connect(relay.address())) {
      client.register(USER, PASSWORD);
      client.login(USER, PASSWORD);
      assertEquals(USER, client.user());
    }
  }

  @Test
  void aPlainClientGetsOneTlsRequiredErrorAndNothingElse() throws Exception {
    try (FtpClient plain = FtpClient.connect("127.0.0.1", server.port(), TIMEOUT, ClientTls.off())) {
      assertFalse(plain.secure());
      FtpException e = assertThrows(FtpException.class, () -> plain.login(LiveServer.DEMO_USER,
          LiveServer.DEMO_PASSWORD));
      assertEquals(ErrorCode.TLS_REQUIRED, e.code());
      assertFalse(plain.isOpen(), "the server closed the connection");
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) n++;
    return n;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }
}
