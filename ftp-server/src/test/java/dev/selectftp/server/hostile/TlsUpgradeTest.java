package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.net.KeytoolTls;
import dev.selectftp.server.tls.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade of docs/PROTOCOL.md ("TLS: upgrading the connection") against the real server over loopback,
 * with a real certificate and the JDK's TLS client layered over the plain socket after the go-ahead.
 */
class TlsUpgradeTest {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  @TempDir static Path dir;
  static KeytoolTls tls;
  static FtpServer optional;

  @BeforeAll
  static void start() throws Exception {
    tls = KeytoolTls.generate(dir.resolve("tls"));
    optional = FtpServer.start(ServerConfig.forTests(dir.resolve("optional"))
        .withTls(new TlsSettings(TlsOffer.OPTIONAL, null, null)), tls);
  }

  @AfterAll
  static void stop() {
    if (optional != null) optional.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void helloOffersTlsAndALoginUploadAndDownloadWorkThroughIt() throws Exception {
    byte[] content = random(700_000, 1);
    try (RawClient c = RawClient.connect(optional.port())) {
      assertEquals("optional", c.hello.tls());
      c.startTls(tls).login("xiaoyu", "123456");
      Response stored = c.upload("tls.bin", content);
      assertEquals(RawClient.sha256(content), assertInstanceOf(Response.PutDone.class, stored).sha256());
      // Hash known from the upload: the download goes the transferFrom way.
      assertArrayEquals(content, c.download("tls.bin"));
    }
    assertArrayEquals(content, Files.readAllBytes(dir.resolve("optional/home/xiaoyu/tls.bin")));
  }

  @Test
  void aFileOfUnknownHashIsHashedWhileItIsEncryptedAndSent() throws Exception {
    byte[] content = random(9 * 1024 * 1024, 2); // over the hash-first size: hashed while sending
    Files.write(dir.resolve("optional/home/xiaoyu/placed.bin"), content);
    try (RawClient c = RawClient.connect(optional.port()).startTls(tls).login("xiaoyu", "123456")) {
      assertArrayEquals(content, c.download("placed.bin"));
    }
  }

  @Test
  void plainFramesPipelinedBehindStartTlsAreDiscardedNotActedOn() throws Exception {
    try (RawClient c = RawClient.connect(optional.port())) {
      // The injection: a plain auth-start and quit in the same write as start-tls.
      c.sendBytes(Attackers.concat(RawClient.frame(new Request.StartTls()),
          RawClient.frame(new Request.AuthStart("n,,n=xiaoyu,r=injectedinjected")), RawClient.frame(new Request.Quit())));
      c.expect(Response.StartTls.class);
      c.upgrade(tls); // a plain challenge or bye before the handshake would have broken it
      // Had the injected auth-start run, auth-finish would be answered as a proof, not as out of order.
      c.send(new Request.AuthFinish("c=biws,r=injectedinjected,p=AAAA"));
      Response.Error error = c.expectError(ErrorCode.WRONG_STATE);
      assertTrue(error.message().contains("auth-start"), error.message());
      c.login("xiaoyu", "123456"); // the quit was not run either: the session goes on
      assertEquals(1, c.list().entries().stream().filter(e -> e.name().equals("notes")).count());
    }
  }

  @Test
  void aPartialPlainFrameBehindStartTlsIsNotCompletedByBytesOverTls() throws Exception {
    byte[] quit = RawClient.frame(new Request.Quit());
    int split = 10; // the 4-byte header and the first bytes of the JSON go in plain text
    try (RawClient c = RawClient.connect(optional.port())) {
      c.sendBytes(Attackers.concat(RawClient.frame(new Request.StartTls()), java.util.Arrays.copyOf(quit, split)));
      c.expect(Response.StartTls.class);
      c.upgrade(tls);
      c.sendBytes(java.util.Arrays.copyOfRange(quit, split, quit.length));
      // Over TLS the rest starts a new frame, whose "length" is JSON text: far too large.
      c.expectError(ErrorCode.FRAME_TOO_LARGE);
    }
  }

  @Test
  void startTlsIsOnlyTheFirstRequestAndOnlyOnce() throws Exception {
    try (RawClient c = RawClient.connect(optional.port()).startTls(tls)) {
      c.send(new Request.StartTls());
      c.expectError(ErrorCode.TLS_UNAVAILABLE);
      c.login("xiaoyu", "123456"); // the connection stays as it was
    }
    try (RawClient c = RawClient.connect(optional.port())) {
      c.send(new Request.PrintDir());
      c.expectError(ErrorCode.NOT_LOGGED_IN);
      c.send(new Request.StartTls());
      c.expectError(ErrorCode.TLS_UNAVAILABLE);
      c.login("xiaoyu", "123456");
    }
  }

  @Test
  void aServerWithoutTlsAnswersStartTlsWithTlsUnavailable() throws Exception {
    try (FtpServer plain = FtpServer.start(ServerConfig.forTests(dir.resolve("plain")));
        RawClient c = RawClient.connect(plain.port())) {
      assertEquals("off", c.hello.tls());
      c.send(new Request.StartTls());
      c.expectError(ErrorCode.TLS_UNAVAILABLE);
      c.login("xiaoyu", "123456");
    }
  }

  @Test
  void aRequiredServerGivesAPlainClientOneTlsRequiredErrorThenEof() throws Exception {
    try (FtpServer required = FtpServer.start(ServerConfig.forTests(dir.resolve("required"))
        .withTls(new TlsSettings(TlsOffer.REQUIRED, null, null)), tls)) {
      try (RawClient c = RawClient.connect(required.port())) {
        assertEquals("required", c.hello.tls());
        c.sendBytes(Attackers.concat(RawClient.frame(new Request.AuthStart("n,,n=xiaoyu,r=abcdefghijkl")),
            RawClient.frame(new Request.PrintDir()), RawClient.frame(new Request.Stats())));
        c.expectError(ErrorCode.TLS_REQUIRED);
        assertEquals(-1, c.rawIn().read(), "nothing after the one error: end of stream");
      }
      try (RawClient c = RawClient.connect(required.port()).startTls(tls)) {
        c.login("xiaoyu", "123456");
        assertTrue(c.list().entries().size() > 0);
      }
    }
  }

  @Test
  void aClientThatStallsMidHandshakeIsClosedByTheLoginTimeout() throws Exception {
    try (FtpServer quick = FtpServer.start(ServerConfig.forTests(dir.resolve("quick"))
        .withTls(new TlsSettings(TlsOffer.OPTIONAL, null, null))
        .withTimeouts(Duration.ofSeconds(1), Duration.ofMinutes(1)), tls);
        RawClient c = RawClient.connect(quick.port())) {
      c.send(new Request.StartTls());
      c.expect(Response.StartTls.class);
      c.sendBytes(new byte[] {0x16, 0x03, 0x01, 0x02}); // the start of a ClientHello, and then nothing
      long t = System.nanoTime();
      InputStream in = c.rawIn();
      c.socket.setSoTimeout(5_000);
      int b;
      try {
        b = in.read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("not closed within 5 s", e);
      }
      assertEquals(-1, b, "no plain frame mid-handshake: the server just closes");
      double seconds = (System.nanoTime() - t) / 1e9;
      assertTrue(seconds > 0.3 && seconds < 4, "closed after " + seconds + " s");
    }
  }

  @Test
  void anIdleTlsSessionHoldsNoBuffer() throws Exception {
    try (FtpServer lone = FtpServer.start(ServerConfig.forTests(dir.resolve("lone"))
        .withTls(new TlsSettings(TlsOffer.OPTIONAL, null, null)), tls);
        RawClient c = RawClient.connect(lone.port()).startTls(tls).login("xiaoyu", "123456")) {
      c.upload("warm.bin", random(200_000, 3));
      c.list();
      long held = 0;
      for (int i = 0; i < 50; i++) {
        held = lone.connectionBufferedBytes();
        if (held == 0) break;
        Thread.sleep(20);
      }
      assertEquals(0, held, "heap held for an idle TLS session");
    }
  }

  @Test
  void tls12RenegotiationIsRefused() throws Exception {
    try (RawClient c = RawClient.connect(optional.port()).startTls(tls, "TLSv1.2")) {
      c.login("xiaoyu", "123456");
      javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) c.socket;
      assertEquals("TLSv1.2", socket.getSession().getProtocol());
      socket.setSoTimeout(5_000);
      IOException refused = assertThrows(IOException.class, () -> {
        socket.startHandshake();
        c.send(new Request.PrintDir());
        c.next(Duration.ofSeconds(5));
      }, "a renegotiation ends the connection");
      assertFalse(refused instanceof SocketTimeoutException, "the server hung up rather than stalled: " + refused);
    }
  }

  @Test
  void closeNotifyFromTheClientClosesTheConnection() throws Exception {
    RawClient c = RawClient.connect(optional.port()).startTls(tls).login("xiaoyu", "123456");
    int before = Attackers.stats(optional.port()).connections();
    c.close(); // SSLSocket.close sends close_notify
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    int now;
    do {
      Thread.sleep(20);
      now = Attackers.stats(optional.port()).connections();
    } while (now >= before && System.nanoTime() < deadline);
    assertTrue(now < before, "connections " + before + " -> " + now);
  }

  static boolean endsQuietly(RawClient c) {
    try {
      return c.rawIn().read() < 0;
    } catch (SSLException e) {
      return true;
    } catch (IOException e) {
      return RawClient.isEof(e);
    }
  }
}
