package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Frames;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 1 of issue 4: every malformed or mistimed input gets its documented error code, the connection is
 * closed only when the byte stream can no longer be trusted (bad-frame, frame-too-large), and after every
 * case a fresh client still logs in and lists.
 */
class FramingTest {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
  @TempDir static Path dir;
  static FtpServer server;

  @BeforeAll
  static void start() throws IOException {
    server = FtpServer.start(ServerConfig.forTests(dir));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  /** Every case must leave the server serving everyone else. */
  @AfterEach
  void freshClientStillServed() throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      c.login("xiaoyu", "123456");
      assertFalse(c.list().entries().isEmpty(), "demo home lists its sample files");
    }
  }

  private static byte[] header(int length) {
    return ByteBuffer.allocate(4).putInt(length).array();
  }

  /** Sends bytes that must make the server answer {@code code} and hang up. */
  private static void expectFatal(byte[] bytes, ErrorCode code) throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      c.sendBytes(bytes);
      c.expectError(code);
      assertTrue(c.closedWithin(CLOSE_WAIT), "connection must close after " + code.code());
    }
  }

  /** Sends one frame that must be refused with {@code code} while the connection stays usable. */
  private static Response.Error expectRefused(RawClient c, byte[] bytes, ErrorCode code) throws IOException {
    c.sendBytes(bytes);
    Response.Error e = c.expectError(code);
    assertTrue(c.stillServes(), "connection must stay usable after " + code.code());
    return e;
  }

  private static Response.Error expectRefused(byte[] bytes, ErrorCode code) throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      return expectRefused(c, bytes, code);
    }
  }

  @Test
  void zeroLengthFrameIsBadJsonAndKeepsTheConnection() throws IOException {
    expectRefused(header(0), ErrorCode.BAD_JSON);
  }

  @Test
  void negativeLengthIsBadFrameAndCloses() throws IOException {
    expectFatal(header(-1), ErrorCode.BAD_FRAME);
    expectFatal(header(Integer.MIN_VALUE), ErrorCode.BAD_FRAME);
  }

  @Test
  void hugeLengthIsRefusedBeforeAnyAllocation() throws IOException {
    // Nothing follows the header: if the server tried to read (or allocate) 2 GiB it would just wait.
    expectFatal(header(Integer.MAX_VALUE), ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void oneByteOverTheCapIsTooLargeButTheCapItselfIsAccepted() throws IOException {
    expectFatal(header(Frames.MAX_FRAME_BYTES + 1), ErrorCode.FRAME_TOO_LARGE);
    // Exactly at the cap: a complete, well-formed frame whose string is too long for a path.
    String prefix = "{\"type\":\"list\",\"path\":\"";
    String suffix = "\"}";
    String json = prefix + "a".repeat(Frames.MAX_FRAME_BYTES - prefix.length() - suffix.length()) + suffix;
    assertEquals(Frames.MAX_FRAME_BYTES, json.getBytes(StandardCharsets.UTF_8).length);
    try (RawClient c = RawClient.connect(server.port())) {
      c.login("xiaoyu", "123456");
      expectRefused(c, RawClient.frame(json), ErrorCode.BAD_PATH);
    }
  }

  /**
   * Clients that hang up mid-header, mid-frame, or after announcing a full-cap frame leave no trace: the
   * server closes each of them (its own connection count falls back to the one asking) and holds no bytes
   * for them. A server that kept a half-closed connection because a frame was unfinished fails here.
   */
  @Test
  void frameCutShortThenClosedLeavesNoTrace() throws Exception {
    for (int cut : new int[] {1, 3, 4, 10}) {
      try (RawClient c = RawClient.connect(server.port())) {
        byte[] whole = RawClient.frame(new Request.PrintDir());
        c.sendBytes(java.util.Arrays.copyOf(whole, Math.min(cut, whole.length - 1)));
      }
    }
    // A header announcing the full cap, then a few bytes, then a hang-up.
    try (RawClient c = RawClient.connect(server.port())) {
      c.sendBytes(header(Frames.MAX_FRAME_BYTES));
      c.sendBytes("{\"type\":".getBytes(StandardCharsets.UTF_8));
    }
    try (RawClient asker = RawClient.connect(server.port())) {
      long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
      int connections;
      do {
        asker.send(new Request.Stats());
        connections = asker.expect(Response.ServerStats.class).connections();
      } while (connections > 1 && System.nanoTime() < deadline && sleepBriefly());
      assertEquals(1, connections, "every cut connection was closed; only the asker remains");
      assertEquals(0, server.connectionBufferedBytes(), "no bytes are kept for the clients that left");
    }
  }

  private static boolean sleepBriefly() throws InterruptedException {
    Thread.sleep(20);
    return true;
  }

  @Test
  void frameSentOneByteAtATimeIsReassembled() throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      for (byte b : RawClient.frame(new Request.Stats())) c.sendBytes(new byte[] {b});
      c.expect(Response.ServerStats.class);
    }
  }

  @Test
  void notJsonIsBadJson() throws IOException {
    // Logged in: before login the third refusal closes the connection (see below).
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      expectRefused(c, RawClient.frame("hello there"), ErrorCode.BAD_JSON);
      expectRefused(c, RawClient.frame("{\"type\":\"pwd\""), ErrorCode.BAD_JSON);
      expectRefused(c, RawClient.frame("null"), ErrorCode.BAD_JSON);
      expectRefused(c, RawClient.frame("{\"type\":\"pwd\"} {\"type\":\"pwd\"}"), ErrorCode.BAD_JSON);
      // Invalid UTF-8 and raw binary.
      expectRefused(c, withHeader(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2}), ErrorCode.BAD_JSON);
      expectRefused(c, withHeader(new byte[] {'{', '"', (byte) 0xc3, '"', ':', '1', '}'}), ErrorCode.BAD_JSON);
    }
  }

  @Test
  void jsonThatIsNotAnObjectIsRefused() throws IOException {
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      for (String json : new String[] {"[1,2,3]", "42", "\"pwd\"", "true"}) {
        c.sendJson(json);
        Response.Error e = assertInstanceOf(Response.Error.class, c.next());
        assertTrue(e.code().equals("bad-json") || e.code().equals("unknown-type")
            || e.code().equals("bad-request"), json + " -> " + e);
      }
      assertTrue(c.stillServes());
    }
  }

  @Test
  void deeplyNestedJsonIsBadJson() throws IOException {
    // Before "type", so the parser has to buffer the nesting while it looks for the type id. Logged in,
    // since these frames (20-30 KB) are over the 4 KiB allowed before login.
    String deep = "{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + ",\"type\":\"pwd\"}";
    String deepObjects = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      expectRefused(c, RawClient.frame(deep), ErrorCode.BAD_JSON);
      expectRefused(c, RawClient.frame(deepObjects), ErrorCode.BAD_JSON);
    }
  }

  @Test
  void hugeStringsAreRefusedAsBadRequests() throws IOException {
    // Before login, a huge SCRAM message is over the 4 KiB frame cap of that state: refused, closed.
    expectFatal(RawClient.frame("{\"type\":\"auth-start\",\"scram\":\"" + "n".repeat(60_000) + "\"}"),
        ErrorCode.FRAME_TOO_LARGE);
    try (RawClient c = RawClient.connect(server.port())) {
      // Under that cap, the field's own length limit refuses it.
      expectRefused(c, RawClient.frame("{\"type\":\"auth-start\",\"scram\":\"" + "n".repeat(3_000) + "\"}"),
          ErrorCode.BAD_REQUEST);
      c.login("xiaoyu", "123456");
      // A path over the wire limit is a path the server cannot use (issue 12), not a malformed message.
      expectRefused(c, RawClient.frame("{\"type\":\"mkdir\",\"path\":\"" + "x".repeat(5_000) + "\"}"),
          ErrorCode.BAD_PATH);
      // Under the wire limit but over the 255-byte name limit: the path rules refuse it.
      expectRefused(c, RawClient.frame("{\"type\":\"mkdir\",\"path\":\"" + "x".repeat(300) + "\"}"),
          ErrorCode.BAD_PATH);
      // A huge number where a long is expected.
      expectRefused(c, RawClient.frame("{\"type\":\"put\",\"path\":\"a\",\"size\":" + "9".repeat(40) + "}"),
          ErrorCode.BAD_JSON);
    }
  }

  @Test
  void unknownOrMissingTypeIsUnknownType() throws IOException {
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      expectRefused(c, RawClient.frame("{\"type\":\"rm -rf /\"}"), ErrorCode.UNKNOWN_TYPE);
      expectRefused(c, RawClient.frame("{\"type\":\"PWD\"}"), ErrorCode.UNKNOWN_TYPE);
      expectRefused(c, RawClient.frame("{\"path\":\"/\"}"), ErrorCode.UNKNOWN_TYPE);
      expectRefused(c, RawClient.frame("{}"), ErrorCode.UNKNOWN_TYPE);
      // Server-only message types are not requests.
      expectRefused(c, RawClient.frame("{\"type\":\"auth-ok\",\"status\":200,\"message\":\"x\"}"),
          ErrorCode.UNKNOWN_TYPE);
    }
  }

  @Test
  void missingExtraOrMistypedFieldsAreBadRequests() throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      c.login("xiaoyu", "123456");
      expectRefused(c, RawClient.frame("{\"type\":\"cd\"}"), ErrorCode.BAD_REQUEST);
      expectRefused(c, RawClient.frame("{\"type\":\"rename\",\"from\":\"a\"}"), ErrorCode.BAD_REQUEST);
      expectRefused(c, RawClient.frame("{\"type\":\"pwd\",\"admin\":true}"), ErrorCode.BAD_REQUEST);
      // Known leniency (ftp-common's codec): a numeric string such as "size":"12" is coerced, not refused.
      expectRefused(c, RawClient.frame("{\"type\":\"put\",\"path\":\"a\",\"size\":\"twelve\"}"), ErrorCode.BAD_REQUEST);
      expectRefused(c, RawClient.frame("{\"type\":\"put\",\"path\":\"a\",\"size\":1.5}"), ErrorCode.BAD_REQUEST);
      expectRefused(c, RawClient.frame("{\"type\":\"put\",\"path\":\"a\",\"size\":-1}"), ErrorCode.BAD_REQUEST);
      expectRefused(c, RawClient.frame("{\"type\":\"put\",\"path\":null,\"size\":1}"), ErrorCode.BAD_REQUEST);
      expectRefused(c, RawClient.frame("{\"type\":\"get\",\"path\":\"a\",\"offset\":5}"), ErrorCode.BAD_REQUEST);
      expectRefused(c, RawClient.frame("{\"type\":\"put-commit\",\"sha256\":\"zz\"}"), ErrorCode.BAD_REQUEST);
    }
  }

  @Test
  void httpRequestReadsAsAHugeLengthAndCloses() throws IOException {
    byte[] http = "GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/8.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    assertTrue(ByteBuffer.wrap(http).getInt() > Frames.MAX_FRAME_BYTES, "'GET ' as a length is ~1.2 GB");
    expectFatal(http, ErrorCode.FRAME_TOO_LARGE);
    expectFatal("POST /upload HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void tlsClientHelloReadsAsAHugeLengthAndCloses() throws IOException {
    // Record header: handshake (0x16), TLS 1.0 record version, length; then ClientHello (0x01).
    byte[] hello = HexFormat.of().parseHex("16030100f5010000f10303" + "00".repeat(32) + "000213010100");
    expectFatal(hello, ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void commandsBeforeLoginAreNotLoggedIn() throws IOException {
    // One connection per request: the third refusal before login closes a connection (next test).
    for (Request r : new Request[] {new Request.List(null), new Request.PrintDir(), new Request.Put("a", 1),
        new Request.Get("welcome.txt", 0, null), new Request.Delete("welcome.txt"), new Request.QuotaQuery(),
        new Request.PutData(0, 1), new Request.PutCommit("0".repeat(64))}) {
      expectRefused(RawClient.frame(r), ErrorCode.NOT_LOGGED_IN);
    }
    try (RawClient c = RawClient.connect(server.port())) {
      // auth-finish without auth-start is a wrong moment rather than a missing login.
      expectRefused(c, RawClient.frame(new Request.AuthFinish("c=biws,r=abc,p=AAAA")), ErrorCode.WRONG_STATE);
      c.login("xiaoyu", "123456");
      assertEquals("/", c.list().path());
    }
  }

  @Test
  void thirdProtocolErrorBeforeLoginClosesTheConnectionAfterItsReply() throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      expectRefused(c, RawClient.frame(new Request.PrintDir()), ErrorCode.NOT_LOGGED_IN);
      c.sendJson("not json");
      c.expectError(ErrorCode.BAD_JSON);
      c.send(new Request.QuotaQuery());
      c.expectError(ErrorCode.NOT_LOGGED_IN);
      assertTrue(c.closedWithin(CLOSE_WAIT), "the third refusal before login closes");
    }
    // Refusals of well-formed requests are not protocol errors: a person may try three user names.
    try (RawClient c = RawClient.connect(server.port())) {
      for (String name : new String[] {"bad name", "also/bad", "..", "no:colons"}) {
        Response r = c.register(name, "a long enough password");
        Response.Error e = assertInstanceOf(Response.Error.class, r, () -> name + " -> " + r);
        assertEquals(ErrorCode.BAD_USER_NAME.code(), e.code(), name + " -> " + e);
      }
      assertTrue(c.stillServes(), "four refused names do not close the connection");
    }
    // Logged in, refusals never close: the client has proved who it is and its errors are its own.
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      for (int i = 0; i < 10; i++) {
        c.sendJson("not json");
        c.expectError(ErrorCode.BAD_JSON);
      }
      assertTrue(c.stillServes());
    }
  }

  @Test
  void transferFramesOutOfOrderAreWrongState() throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      c.login("xiaoyu", "123456");
      expectRefused(c, RawClient.frame(new Request.PutData(0, 3)), ErrorCode.WRONG_STATE);
      expectRefused(c, RawClient.frame(new Request.PutCommit("0".repeat(64))), ErrorCode.WRONG_STATE);
      expectRefused(c, RawClient.frame(new Request.AuthStart("n,,n=xiaoyu,r=abcdef")), ErrorCode.WRONG_STATE);
    }
  }

  @Test
  void secondPutWhileOneIsOpenIsWrongState() throws IOException {
    byte[] content = "second put must wait".getBytes(StandardCharsets.UTF_8);
    try (RawClient c = RawClient.connect(server.port())) {
      c.login("xiaoyu", "123456");
      c.send(new Request.Put("twice.txt", content.length));
      c.expect(Response.PutReady.class);
      // Offered: another put, a get, a list are all the wrong moment.
      c.send(new Request.Put("other.txt", 5));
      c.expectError(ErrorCode.WRONG_STATE);
      c.send(new Request.Get("welcome.txt", 0, null));
      c.expectError(ErrorCode.WRONG_STATE);
      c.send(new Request.PutData(0, content.length));
      // Receiving: the next bytes are raw file bytes, so a frame here would be file content. Send half...
      c.sendBytes(java.util.Arrays.copyOf(content, 5));
      c.sendBytes(java.util.Arrays.copyOfRange(content, 5, content.length));
      // AwaitingCommit: a second put is still the wrong moment.
      c.send(new Request.Put("other.txt", 5));
      c.expectError(ErrorCode.WRONG_STATE);
      c.send(new Request.PutCommit(RawClient.sha256(content)));
      Response.PutDone done = c.expect(Response.PutDone.class);
      assertEquals("/twice.txt", done.path());
      assertEquals(new String(content, StandardCharsets.UTF_8),
          Files.readString(dir.resolve("home/xiaoyu/twice.txt")));
    }
  }

  @Test
  void secondUploadOfTheSameNameFromAnotherSessionIsBusy() throws IOException {
    try (RawClient a = RawClient.connect(server.port()); RawClient b = RawClient.connect(server.port())) {
      a.login("xiaoyu", "123456");
      b.login("xiaoyu", "123456");
      a.send(new Request.Put("contended.bin", 10));
      a.expect(Response.PutReady.class);
      b.send(new Request.Put("contended.bin", 10));
      b.expectError(ErrorCode.BUSY);
      assertTrue(b.stillServes());
    }
    // a's connection dropped mid-upload: the name is free again.
    try (RawClient c = RawClient.connect(server.port())) {
      c.login("xiaoyu", "123456");
      assertInstanceOf(Response.PutDone.class, c.upload("contended.bin", new byte[10]));
    }
  }

  @Test
  void uploadCutShortLeavesNothingUnderTheRealName() throws IOException {
    byte[] content = new byte[200_000];
    new java.util.Random(7).nextBytes(content);
    try (RawClient c = RawClient.connect(server.port())) {
      c.login("xiaoyu", "123456");
      c.send(new Request.Put("cut.bin", content.length));
      c.expect(Response.PutReady.class);
      c.send(new Request.PutData(0, content.length));
      c.sendBytes(java.util.Arrays.copyOf(content, 50_000));
    }
    try (RawClient c = RawClient.connect(server.port())) {
      c.login("xiaoyu", "123456");
      assertTrue(c.list().entries().stream().noneMatch(e -> e.name().contains("cut.bin")),
          "neither the real name nor the partial may be listed");
      // The partial resumes.
      c.send(new Request.Put("cut.bin", content.length));
      Response.PutReady ready = c.expect(Response.PutReady.class);
      assertTrue(ready.offset() > 0 && ready.offset() <= 50_000, "resume offset " + ready.offset());
      c.send(new Request.PutData(ready.offset(), content.length - ready.offset()));
      c.sendBytes(java.util.Arrays.copyOfRange(content, (int) ready.offset(), content.length));
      c.send(new Request.PutCommit(RawClient.sha256(content)));
      c.expect(Response.PutDone.class);
      assertEquals(RawClient.sha256(content), RawClient.sha256(Files.readAllBytes(dir.resolve("home/xiaoyu/cut.bin"))));
    }
  }

  /** A resumed download's prefix is checked off the loop; the stream must still start afterwards. */
  @Test
  void resumedDownloadIsStreamedAndAWrongPrefixRestartsFromZero() throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      c.login("xiaoyu", "123456");
      byte[] whole = c.download("sample.bin");
      int offset = 1000;
      c.send(new Request.Get("sample.bin", offset, RawClient.sha256(java.util.Arrays.copyOf(whole, offset))));
      Response.GetReady ready = c.expect(Response.GetReady.class);
      assertEquals(offset, ready.offset());
      byte[] rest = new byte[whole.length - offset];
      c.readRaw(rest);
      assertEquals(RawClient.sha256(whole), c.expect(Response.GetDone.class).sha256());
      assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(whole, offset, whole.length), rest));
      c.send(new Request.Get("sample.bin", offset, "0".repeat(64)));
      assertEquals(0, c.expect(Response.GetReady.class).offset());
      byte[] again = new byte[whole.length];
      c.readRaw(again);
      c.expect(Response.GetDone.class);
      assertTrue(java.util.Arrays.equals(whole, again));
    }
  }

  @Test
  void garbageAfterAValidFrameInOneWriteIsHandledInOrder() throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      byte[] stats = RawClient.frame(new Request.Stats());
      byte[] bad = header(-5);
      byte[] both = new byte[stats.length + bad.length];
      System.arraycopy(stats, 0, both, 0, stats.length);
      System.arraycopy(bad, 0, both, stats.length, bad.length);
      c.sendBytes(both);
      c.expect(Response.ServerStats.class);
      c.expectError(ErrorCode.BAD_FRAME);
      assertTrue(c.closedWithin(CLOSE_WAIT));
    }
  }

  @Test
  void quitClosesPolitely() throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      c.send(new Request.Quit());
      c.expect(Response.Bye.class);
      assertTrue(c.closedWithin(CLOSE_WAIT));
    }
  }

  private static byte[] withHeader(byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }
}
