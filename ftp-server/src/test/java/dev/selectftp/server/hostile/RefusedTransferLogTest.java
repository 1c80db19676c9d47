package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.Main;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 7: a transfer the server refuses (quota, busy, checksum mismatch, a missing file) still writes
 * its line to the transfer log, with the error code as its result. The real server runs in its own JVM with
 * the production logback.xml, so the test reads the very {@code transfer.log} an operator would.
 */
class RefusedTransferLogTest {
  private static final long START_MILLIS = 30_000;
  private static final long LOG_WAIT_MILLIS = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void everyRefusedTransferWritesItsLineWithItsResult() throws Exception {
    Path logs = dir.resolve("logs");
    Process server = null;
    try {
      int port = freePort();
      server = start(port, dir.resolve("data"), logs);
      byte[] five = "12345".getBytes(StandardCharsets.UTF_8);
      try (RawClient a = RawClient.connect(port).login("xiaoyu", "123456");
          RawClient b = RawClient.connect(port).login("xiaoyu", "123456")) {
        a.send(new Request.Put("/huge.bin", 1L << 50));
        a.expectError(ErrorCode.QUOTA_EXCEEDED);

        a.send(new Request.Put("/held.bin", 10));
        a.expect(Response.PutReady.class);
        b.send(new Request.Put("held.bin", 10));
        b.expectError(ErrorCode.BUSY);

        b.send(new Request.Put("/bad.bin", five.length));
        b.expect(Response.PutReady.class);
        b.send(new Request.PutData(0, five.length));
        b.sendBytes(five);
        b.send(new Request.PutCommit(RawClient.sha256("54321".getBytes(StandardCharsets.UTF_8))));
        b.expectError(ErrorCode.CHECKSUM_MISMATCH);

        b.send(new Request.Get("/nowhere.bin", 0, null));
        b.expectError(ErrorCode.NOT_FOUND);

        b.send(new Request.Get("/x\u2028" + "y".repeat(300), 0, null));
        b.expectError(ErrorCode.BAD_PATH);

        assertInstanceOf(Response.PutDone.class, b.upload("/good.bin", five));
      }

      Path transferLog = logs.resolve("transfer.log");
      List<JsonNode> lines = awaitLines(transferLog, 6);
      assertRefused(lines, "upload", "/huge.bin", "quota-exceeded");
      assertRefused(lines, "upload", "/held.bin", "busy");
      assertRefused(lines, "download", "/nowhere.bin", "not-found");
      JsonNode unresolvable = null;
      for (JsonNode l : lines) if ("bad-path".equals(l.path("result").asText())) unresolvable = l;
      assertNotNull(unresolvable, "a get refused as bad-path is logged too: " + lines);
      String logged = unresolvable.get("path").asText();
      assertFalse(logged.contains("\u2028"), "a line separator sent in a path is escaped in the log: " + logged);
      assertTrue(logged.startsWith("/x\\u2028y"), logged);
      assertTrue(logged.length() < 300, "a refused path is cut short in the log: " + logged.length());
      JsonNode mismatch = line(lines, "/bad.bin", "checksum-mismatch");
      assertEquals(five.length, mismatch.get("bytes").asLong(), "the mismatch received its bytes");
      assertFalse(mismatch.get("verified").asBoolean());
      JsonNode ok = line(lines, "/good.bin", "ok");
      assertTrue(ok.get("verified").asBoolean());
    } finally {
      if (server != null) {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void assertRefused(List<JsonNode> lines, String direction, String path, String result) {
    JsonNode line = line(lines, path, result);
    assertEquals(direction, line.get("direction").asText(), line.toString());
    assertEquals("xiaoyu", line.get("user").asText(), line.toString());
    assertEquals(0, line.get("bytes").asLong(), "a refused transfer moved nothing: " + line);
    assertFalse(line.get("verified").asBoolean(), line.toString());
    assertEquals(line.get("quotaBefore").asLong(), line.get("quotaAfter").asLong(), line.toString());
    assertTrue(line.get("address").asText().startsWith("127.0.0.1"), line.toString());
  }

  private static JsonNode line(List<JsonNode> lines, String path, String result) {
    JsonNode found = null;
    int count = 0;
    for (JsonNode l : lines) {
      if (path.equals(l.path("path").asText()) && result.equals(l.path("result").asText())) {
        found = l;
        count++;
      }
    }
    assertNotNull(found, "no transfer-log line for " + path + " with result " + result + " in " + lines);
    assertEquals(1, count, "one refusal, one line: " + lines);
    return found;
  }

  /** The log's lines once it holds at least {@code atLeast}; logging is asynchronous, so it is polled. */
  private static List<JsonNode> awaitLines(Path file, int atLeast) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOG_WAIT_MILLIS);
    List<JsonNode> lines = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      lines.clear();
      if (Files.exists(file)) {
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!l.isBlank()) lines.add(JSON.readTree(l));
        }
      }
      if (lines.size() >= atLeast) return lines;
      Thread.sleep(50);
    }
    return lines;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** The server's own JVM with the production logging configuration (the test one writes no transfer.log). */
  private static Process start(int port, Path data, Path logs) throws IOException, InterruptedException {
    URL logback = Main.class.getResource("/logback.xml");
    assertNotNull(logback, "the production logback.xml is on the class path");
    Files.createDirectories(logs);
    Path output = logs.resolve("process.out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-Dlogback.configurationFile=" + logback,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--data", data.toString(),
        "--log-dir", logs.toString(), "--iterations", "4096", "--ftp-port", "0"))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) throw new IOException("server exited: " + Files.readString(output));
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return p;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IOException("server did not accept within " + START_MILLIS + " ms: " + Files.readString(output));
  }
}
