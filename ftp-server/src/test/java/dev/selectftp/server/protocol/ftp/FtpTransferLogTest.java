package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every transfer over the FTP door writes one JSON line to the transfer log (the {@code selectftp.transfer}
 * logger): who moved which file, how many bytes from which offset, its SHA-256 and whether it was verified,
 * the user's stored bytes before and after, and the result. Real server over loopback; the lines are taken
 * from the logger as logback hands them to its appenders.
 */
class FtpTransferLogTest {
  private static final int FILE_BYTES = 50_000;
  private static final int RESUME_AT = 20_000;
  private static final int CUT_AT = 10_000;
  /** Each user's quota: room for the files above, and for ALLO to hold most of it. */
  private static final long QUOTA = 10L * 1024 * 1024;
  private static final long WAIT_MILLIS = 5_000;
  private static final int SOCKET_TIMEOUT_MILLIS = 30_000;
  private static final Pattern EPSV = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FtpServer server;
  private final Lines lines = new Lines();
  private final Logger transferLogger = (Logger) LoggerFactory.getLogger("selectftp.transfer");
  private byte[] file;

  /** Every line of the transfer log, from any thread. */
  static final class Lines extends AppenderBase<ILoggingEvent> {
    final Queue<String> seen = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      seen.add(event.getFormattedMessage());
    }
  }

  @BeforeEach
  void start() throws Exception {
    lines.start();
    transferLogger.addAppender(lines);
    server = FtpServer.start(ServerConfig.forTests(dir.resolve("data")).withFtpPort(0).withDefaultQuotaBytes(QUOTA));
    file = new byte[FILE_BYTES];
    new Random(5).nextBytes(file);
  }

  @AfterEach
  void stop() {
    server.close();
    transferLogger.detachAppender(lines);
  }

  @Test
  void aStoreAndAResumedRetrieveEachLogOneLineWithTheirBytesHashAndQuota() throws Exception {
    try (FtpLineClient c = login()) {
      try (Socket d = data(c)) {
        assertTrue(c.command("STOR log.bin").startsWith("150"));
        d.getOutputStream().write(file);
      }
      assertTrue(c.reply().startsWith("226"));
      assertTrue(c.command("REST " + RESUME_AT).startsWith("350"));
      byte[] tail;
      try (Socket d = data(c)) {
        assertTrue(c.command("RETR log.bin").startsWith("150"));
        try (InputStream in = d.getInputStream()) {
          tail = in.readAllBytes();
        }
      }
      assertTrue(c.reply().startsWith("226"));
      assertEquals(FILE_BYTES - RESUME_AT, tail.length);
    }
    JsonNode up = line("upload", "/log.bin");
    assertEquals("xiaoyu", up.get("user").asText());
    assertEquals(FILE_BYTES, up.get("bytes").asLong());
    assertEquals(0, up.get("resumedFrom").asLong());
    assertEquals(sha256(file), up.get("sha256").asText());
    assertTrue(up.get("verified").asBoolean());
    assertEquals("ok", up.get("result").asText());
    assertEquals(FILE_BYTES, up.get("quotaAfter").asLong() - up.get("quotaBefore").asLong(),
        "the stored total grew by the file");

    JsonNode down = line("download", "/log.bin");
    assertEquals("xiaoyu", down.get("user").asText());
    assertEquals(FILE_BYTES - RESUME_AT, down.get("bytes").asLong());
    assertEquals(RESUME_AT, down.get("resumedFrom").asLong());
    assertEquals(sha256(file), down.get("sha256").asText(), "a resumed download names the whole file's hash");
    assertTrue(down.get("verified").asBoolean());
    assertEquals("ok", down.get("result").asText());
    assertEquals(up.get("quotaAfter").asLong(), down.get("quotaBefore").asLong());
    assertEquals(down.get("quotaBefore").asLong(), down.get("quotaAfter").asLong());
    assertEquals(2, lines.seen.size(), "one line per transfer: " + lines.seen);
  }

  @Test
  void anUploadWhoseClientHangsUpLogsEveryByteItSentAsDisconnected() throws Exception {
    try (FtpLineClient c = login(); Socket d = data(c)) {
      assertTrue(c.command("STOR cut.bin").startsWith("150"));
      d.getOutputStream().write(Arrays.copyOf(file, CUT_AT));
      d.getOutputStream().flush();
    }
    JsonNode cut = line("upload", "/cut.bin");
    assertEquals(CUT_AT, cut.get("bytes").asLong());
    assertFalse(cut.get("verified").asBoolean(), "nothing was published");
    assertEquals("disconnected", cut.get("result").asText());
  }

  @Test
  void aRetrOfAMissingFileLogsOneRefusedLineWithItsUserAndNoBytes() throws Exception {
    try (FtpLineClient c = login(); Socket d = data(c)) {
      assertTrue(c.command("RETR nowhere.bin").startsWith("550"));
    }
    JsonNode refused = line("download", "/nowhere.bin");
    assertEquals("xiaoyu", refused.get("user").asText());
    assertEquals("not-found", refused.get("result").asText());
    assertEquals(0, refused.get("bytes").asLong());
    assertFalse(refused.get("verified").asBoolean());
    assertEquals(refused.get("quotaBefore").asLong(), refused.get("quotaAfter").asLong());
    assertEquals(1, lines.seen.size(), "one line for the refused RETR: " + lines.seen);
  }

  @Test
  void aStorRefusedOverTheQuotaLogsOneQuotaExceededLineAndNothingElse() throws Exception {
    long room = QUOTA * 6 / 10;
    try (FtpLineClient a = login(); FtpLineClient b = login()) {
      assertTrue(a.command("ALLO " + room).startsWith("200"));
      try (Socket bData = data(b)) {
        assertTrue(b.command("ALLO " + room).startsWith("200"));
        assertTrue(b.command("STOR held.bin").startsWith("150"), "b reserves its room before its first byte");
        try (Socket aData = data(a)) {
          String reply = a.command("STOR sub/../over.bin");
          assertTrue(reply.startsWith("552"), "a's room went to b: 552 before any byte: " + reply);
        }
        JsonNode refused = line("upload", "/over.bin");
        assertEquals("xiaoyu", refused.get("user").asText());
        assertEquals("quota-exceeded", refused.get("result").asText());
        assertEquals(0, refused.get("bytes").asLong());
        assertEquals(1, lines.seen.size(), "only the refused STOR has ended: " + lines.seen);
        bData.getOutputStream().write(file, 0, CUT_AT);
      }
      assertTrue(b.reply().startsWith("226"));
    }
    assertEquals("ok", line("upload", "/held.bin").get("result").asText());
    assertEquals(2, lines.seen.size(), "one line per transfer, refused or not: " + lines.seen);
  }

  /** The one line for {@code path} in {@code direction}, waiting for it as long as a settle may take. */
  private JsonNode line(String direction, String path) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    while (true) {
      List<JsonNode> found = lines.seen.stream().map(FtpTransferLogTest::parse)
          .filter(n -> direction.equals(n.get("direction").asText()) && path.equals(n.get("path").asText()))
          .toList();
      if (!found.isEmpty()) {
        assertEquals(1, found.size(), "one line per transfer: " + found);
        return found.get(0);
      }
      assertTrue(System.nanoTime() < deadline, "no " + direction + " line for " + path + " in " + lines.seen);
      Thread.sleep(20);
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not a JSON line: " + line, e);
    }
  }

  private FtpLineClient login() throws IOException {
    FtpLineClient c = new FtpLineClient(server.ftpPort());
    assertTrue(c.login("xiaoyu", "123456").startsWith("230"));
    return c;
  }

  private static Socket data(FtpLineClient c) throws IOException {
    Matcher m = EPSV.matcher(c.command("EPSV"));
    assertTrue(m.find());
    Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)));
    s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
    return s;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
