package dev.selectftp.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.storage.HashCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Each transfer leaves one JSON line in transfer.log with what was moved, from where, and the quota around it. */
class TransferLogLinesTest {
  private static final String USER = "bob";
  @TempDir Path data;
  private Home home;
  private Quotas quotas;
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("selectftp.transfer");
  private final TransferLog log = new TransferLog();

  @BeforeEach
  void setUp() throws IOException {
    FileStore store = new FileStore(data);
    home = store.home(USER);
    Files.write(home.root().resolve("old.bin"), new byte[7]);
    quotas = DiskQuotas.of(store, () -> 1000, 100);
    quotas.whenKnown(USER, "1", failure -> assertNull(failure));
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(lines);
  }

  private JsonNode lastLine() throws IOException {
    assertEquals(1, lines.list.size());
    return new ObjectMapper().readTree(lines.list.get(0).getFormattedMessage());
  }

  @Test
  void aResumedUploadIsLoggedWithItsBytesOffsetHashAndQuota() throws Exception {
    UploadLocks locks = new UploadLocks();
    byte[] content = "0123456789".getBytes();
    Upload first = Upload.begin(USER, home, quotas, locks, "/up.bin", 10);
    first.accept(0, 10);
    first.receive(ByteBuffer.wrap(content, 0, 4));
    first.abort();
    Upload u = Upload.begin(USER, home, quotas, locks, "/up.bin", 10);
    u.hashKept();
    u.accept(4, 6);
    u.receive(ByteBuffer.wrap(content, 4, 6));
    assertTrue(u.matches(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))));
    u.commitBlocking();
    u.committed();
    log.upload(u, "192.0.2.3", quotas.usage(USER).used(), "ok");
    JsonNode line = lastLine();
    assertEquals(USER, line.get("user").asText());
    assertEquals("192.0.2.3", line.get("address").asText());
    assertEquals("upload", line.get("direction").asText());
    assertEquals("/up.bin", line.get("path").asText());
    assertEquals(6, line.get("bytes").asLong());
    assertEquals(4, line.get("resumedFrom").asLong());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
        line.get("sha256").asText());
    assertTrue(line.get("verified").asBoolean());
    assertEquals(11, line.get("quotaBefore").asLong(), "7 stored + the 4 kept bytes");
    assertEquals(17, line.get("quotaAfter").asLong());
    assertTrue(line.get("seconds").asDouble() >= 0 && line.get("seconds").asDouble() < 60);
  }

  @Test
  void aDownloadIsLoggedWithWhatWasSentAndWhetherItsHashIsKnown() throws Exception {
    Download d = Download.open(home, "/old.bin", new HashCache());
    d.startAt(2);
    log.download(USER, "192.0.2.4", d, null, 7, "cut");
    JsonNode line = lastLine();
    assertEquals("download", line.get("direction").asText());
    assertEquals("/old.bin", line.get("path").asText());
    assertEquals(2, line.get("resumedFrom").asLong());
    assertEquals(0, line.get("bytes").asLong());
    assertTrue(line.get("sha256").isNull());
    assertEquals(false, line.get("verified").asBoolean(), "no hash, nothing verified");
    assertEquals("cut", line.get("result").asText());
    d.close();
  }

  @Test
  void aRefusedTransferIsLoggedWithoutBytes() throws Exception {
    log.refused(USER, "192.0.2.5", "upload", "/x.bin", 7, "quota-exceeded");
    JsonNode line = lastLine();
    assertEquals("upload", line.get("direction").asText());
    assertEquals("quota-exceeded", line.get("result").asText());
    assertEquals(7, line.get("quotaBefore").asLong());
    assertEquals(0, line.get("bytes").asLong());
  }
}
