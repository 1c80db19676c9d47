package dev.selectftp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selectftp.client.FtpClient;
import dev.selectftp.client.TransferListener;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** One JSON line per finished or failed transfer, with every field operators rely on (docs/OPERATIONS.md). */
class TransferLogTest {
  private static final int SIZE = 300_000;

  @RegisterExtension final LiveServer live = new LiveServer();
  @TempDir Path local;

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger transferLog = (Logger) LoggerFactory.getLogger("selectftp.transfer");

  @BeforeEach
  void listen() {
    lines.start();
    transferLog.addAppender(lines);
  }

  @AfterEach
  void stopListening() {
    transferLog.detachAppender(lines);
  }

  private List<JsonNode> entries() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new java.util.ArrayList<>();
    for (ILoggingEvent e : List.copyOf(lines.list)) out.add(json.readTree(e.getFormattedMessage()));
    return out;
  }

  @Test
  void uploadAndDownloadEachWriteOneCompleteLine() throws Exception {
    byte[] content = TestFiles.writeRandom(local.resolve("logged.bin"), 3, SIZE);
    try (FtpClient client = live.loginDemo()) {
      client.put(local.resolve("logged.bin"), "logged.bin", TransferListener.NONE);
      client.get("logged.bin", local.resolve("back.bin"), TransferListener.NONE);
    }
    TestFiles.await("two transfer lines", LiveServer.TIMEOUT, () -> lines.list.size() >= 2);
    List<JsonNode> entries = entries();
    assertEquals(2, entries.size(), entries.toString());
    JsonNode up = entries.get(0);
    JsonNode down = entries.get(1);
    String sha256 = TestFiles.sha256(content);

    assertEquals("upload", up.get("direction").asText());
    assertEquals("download", down.get("direction").asText());
    for (JsonNode line : entries) {
      assertFalse(Instant.parse(line.get("time").asText()).isAfter(Instant.now()));
      assertEquals("xiaoyu", line.get("user").asText());
      assertEquals("127.0.0.1", line.get("address").asText());
      assertEquals("/logged.bin", line.get("path").asText());
      assertEquals(SIZE, line.get("bytes").asLong());
      assertEquals(0, line.get("resumedFrom").asLong());
      assertEquals(sha256, line.get("sha256").asText());
      assertTrue(line.get("verified").asBoolean());
      assertTrue(line.get("seconds").asDouble() >= 0);
      assertEquals("ok", line.get("result").asText());
    }
    assertEquals(SIZE, up.get("quotaAfter").asLong() - up.get("quotaBefore").asLong(), "quota grew by the file");
    assertEquals(down.get("quotaBefore").asLong(), down.get("quotaAfter").asLong(), "a download uses no quota");
  }

  @Test
  void uploadCutOffIsLoggedAsFailedAndUnverified() throws Exception {
    byte[] content = TestFiles.randomBytes(5, SIZE);
    try (RawSession raw = RawSession.login(live, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD)) {
      raw.startUploadAndSend("cut.bin", content, SIZE / 3);
    }
    TestFiles.await("a transfer line", LiveServer.TIMEOUT, () -> !lines.list.isEmpty());
    JsonNode cut = entries().get(0);
    assertEquals("upload", cut.get("direction").asText());
    assertEquals("disconnected", cut.get("result").asText());
    assertFalse(cut.get("verified").asBoolean());
    assertEquals(SIZE / 3, cut.get("bytes").asLong(), lines.list.stream().map(ILoggingEvent::getFormattedMessage)
        .collect(Collectors.joining("\n")));
  }
}
