package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 7: the protocol's edges as docs/PROTOCOL.md states them. JSON that is not an object is
 * {@code bad-json} (and counts, before login, like any other bad JSON); a path over the limit is
 * {@code bad-path} for every request that takes one, whichever side (the wire codec or the resolver) finds it.
 */
class ProtocolEdgesTest {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
  /** Valid names, so that only the length can be wrong. */
  private static final String SEGMENT = "a".repeat(VirtualPath.MAX_NAME_BYTES);
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

  /** An absolute path of exactly {@code chars} UTF-16 chars made of valid names. */
  static String pathOf(int chars) {
    StringBuilder p = new StringBuilder();
    while (p.length() < chars) {
      p.append('/');
      p.append(SEGMENT, 0, Math.min(SEGMENT.length(), chars - p.length()));
    }
    if (p.charAt(p.length() - 1) == '/') p.setCharAt(p.length() - 1, 'b');
    assertEquals(chars, p.length());
    return p.toString();
  }

  @Test
  void jsonThatIsNotAnObjectIsBadJsonAndTheConnectionStaysUsable() throws IOException {
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      for (String json : new String[] {"[1,2]", "[]", "\"x\"", "42", "1.5", "true", "null", "[{\"type\":\"pwd\"}]"}) {
        c.sendJson(json);
        c.expectError(ErrorCode.BAD_JSON);
        assertTrue(c.stillServes(), "connection must stay usable after " + json);
      }
    }
  }

  @Test
  void jsonThatIsNotAnObjectCountsTowardTheThirdErrorBeforeLogin() throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      c.sendJson("[1,2]");
      c.expectError(ErrorCode.BAD_JSON);
      c.sendJson("\"x\"");
      c.expectError(ErrorCode.BAD_JSON);
      assertFalse(c.closedWithin(Duration.ofMillis(200)), "two errors before login keep the connection");
      c.sendJson("42");
      c.expectError(ErrorCode.BAD_JSON);
      assertTrue(c.closedWithin(CLOSE_WAIT), "the third bad-json before login closes the connection");
    }
  }

  /** Every request that takes a path, with {@code path} in each of its path fields in turn. */
  private static Map<String, Request> everyPathRequest(String path) {
    Map<String, Request> all = new LinkedHashMap<>();
    all.put("list", new Request.List(path));
    all.put("cd", new Request.ChangeDir(path));
    all.put("mkdir", new Request.MakeDir(path));
    all.put("delete", new Request.Delete(path));
    all.put("rename from", new Request.Rename(path, "/target"));
    all.put("rename to", new Request.Rename("/welcome.txt", path));
    all.put("put", new Request.Put(path, 1));
    all.put("get", new Request.Get(path, 0, null));
    all.put("hash", new Request.Hash(path));
    return all;
  }

  /** The JSON of a request, built as text: the records refuse an over-long path before it reaches the wire. */
  private static Map<String, String> everyPathRequestJson(String path) {
    Map<String, String> all = new LinkedHashMap<>();
    String p = MessageCodec.json(path);
    all.put("list", "{\"type\":\"list\",\"path\":" + p + "}");
    all.put("cd", "{\"type\":\"cd\",\"path\":" + p + "}");
    all.put("mkdir", "{\"type\":\"mkdir\",\"path\":" + p + "}");
    all.put("delete", "{\"type\":\"delete\",\"path\":" + p + "}");
    all.put("rename from", "{\"type\":\"rename\",\"from\":" + p + ",\"to\":\"/target\"}");
    all.put("rename to", "{\"type\":\"rename\",\"from\":\"/welcome.txt\",\"to\":" + p + "}");
    all.put("put", "{\"type\":\"put\",\"path\":" + p + ",\"size\":1}");
    all.put("get", "{\"type\":\"get\",\"path\":" + p + ",\"offset\":0}");
    all.put("hash", "{\"type\":\"hash\",\"path\":" + p + "}");
    return all;
  }

  @Test
  void pathOneCharOverTheLimitIsBadPathForEveryRequestThatTakesOne() throws IOException {
    String tooLong = pathOf(VirtualPath.MAX_PATH_CHARS + 1);
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      for (Map.Entry<String, String> e : everyPathRequestJson(tooLong).entrySet()) {
        c.sendJson(e.getValue());
        Response r = c.next();
        Response.Error error = assertInstanceOf(Response.Error.class, r, e.getKey() + " -> " + r);
        assertEquals("bad-path", error.code(), e.getKey() + " -> " + error);
        assertEquals(400, error.status());
        assertTrue(c.stillServes(), "connection must stay usable after " + e.getKey());
      }
    }
  }

  @Test
  void hugePathOfManyBytesIsBadPathToo() throws IOException {
    // 20,000 chars of 3 UTF-8 bytes each: 60 KB in one frame, far over the limit in chars and in bytes.
    String huge = "/" + "\u4e2d".repeat(20_000);
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      for (Map.Entry<String, String> e : everyPathRequestJson(huge).entrySet()) {
        c.sendJson(e.getValue());
        Response.Error error = assertInstanceOf(Response.Error.class, c.next(), e.getKey());
        assertEquals("bad-path", error.code(), e.getKey() + " -> " + error);
      }
      assertTrue(c.stillServes());
    }
  }

  /**
   * {@code ./} steps pad a path to any length while it resolves to a short one, so the limit on what was sent
   * is seen apart from the limit of the server's disk paths (its data folder comes in front of a home's).
   */
  static String paddedPath(int chars, String tail) {
    String pad = "./".repeat((chars - tail.length()) / 2);
    String p = (pad.length() + tail.length() < chars ? "/" : "") + pad + tail; // "/./" is "/" too
    assertEquals(chars, p.length(), p);
    return p;
  }

  @Test
  void pathAtTheLimitIsNotRefusedForItsLengthButOneMoreCharIs() throws IOException {
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      for (int chars : new int[] {VirtualPath.MAX_PATH_CHARS, VirtualPath.MAX_PATH_CHARS + 1}) {
        String expected = chars <= VirtualPath.MAX_PATH_CHARS ? "not-found" : "bad-path";
        for (Map.Entry<String, String> e : everyPathRequestJson(paddedPath(chars, "missing/x")).entrySet()) {
          c.sendJson(e.getValue());
          Response r = c.next();
          Response.Error error = assertInstanceOf(Response.Error.class, r, chars + " " + e.getKey() + " -> " + r);
          // not-found: the folder on the way does not exist, so the request got past the length check.
          assertEquals(expected, error.code(), chars + " chars, " + e.getKey() + " -> " + error);
        }
      }
      assertTrue(c.stillServes());
    }
  }

  /**
   * The third limit of docs/PROTOCOL.md: under 4096 chars but over what the server's disk path can hold
   * (16 names of 85 CJK characters: 1,376 chars, 4,096 UTF-8 bytes before the data folder is even added).
   */
  @Test
  void pathUnderTheCharLimitButTooLongOnDiskIsBadPathForEveryRequestThatTakesOne() throws IOException {
    String name = "\u4e2d".repeat(VirtualPath.MAX_NAME_BYTES / 3);
    String path = ("/" + name).repeat(16);
    assertTrue(path.length() < VirtualPath.MAX_PATH_CHARS);
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      for (Map.Entry<String, Request> e : everyPathRequest(path).entrySet()) {
        c.send(e.getValue());
        Response.Error error = assertInstanceOf(Response.Error.class, c.next(), e.getKey());
        assertEquals("bad-path", error.code(), e.getKey() + " -> " + error);
      }
      assertTrue(c.stillServes());
    }
  }

  /** docs/PROTOCOL.md, Download: the offset of a {@code get} is required, not defaulted to 0. */
  @Test
  void getWithoutOffsetIsBadRequestAsDocumented() throws IOException {
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      c.sendJson("{\"type\":\"get\",\"path\":\"/welcome.txt\"}");
      c.expectError(ErrorCode.BAD_REQUEST);
      assertTrue(c.stillServes());
    }
  }

  @Test
  void nameOverTheNameLimitIsBadPathForEveryRequestThatTakesOne() throws IOException {
    String longName = "/" + "n".repeat(VirtualPath.MAX_NAME_BYTES + 1);
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      for (Map.Entry<String, Request> e : everyPathRequest(longName).entrySet()) {
        c.send(e.getValue());
        Response.Error error = assertInstanceOf(Response.Error.class, c.next(), e.getKey());
        assertEquals("bad-path", error.code(), e.getKey() + " -> " + error);
      }
      assertTrue(c.stillServes());
    }
  }
}
