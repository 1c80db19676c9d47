package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.transfer.DiskQuotas;
import dev.selectftp.server.transfer.TransferLog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A transfer refused before any byte moved still leaves its one line in the transfer log, the same from every door. */
class RefusedTransfersTest {
  @TempDir Path data;
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("selectftp.transfer");
  private Home home;
  private Quotas quotas;

  @BeforeEach
  void setUp() throws Exception {
    FileStore store = new FileStore(data);
    home = store.home("bob");
    Files.write(home.root().resolve("kept.bin"), new byte[30]);
    quotas = DiskQuotas.of(store, () -> 100, 10);
    quotas.whenKnown("bob", "1", failure -> assertNull(failure));
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(lines);
  }

  private JsonNode onlyLine() throws Exception {
    assertEquals(1, lines.list.size(), "one line per refused transfer");
    return new ObjectMapper().readTree(lines.list.get(0).getFormattedMessage());
  }

  @Test
  void aRefusalIsLoggedUnderItsErrorCodeWithTheResolvedPathAndTheUsersTotal() throws Exception {
    RefusedTransfers refused = new RefusedTransfers(new TransferLog(), quotas);
    refused.refused(new Login("bob", "1", home, "/docs"), "192.0.2.7", RefusedTransfers.UPLOAD, "../big.iso",
        Refusal.QUOTA_EXCEEDED);
    JsonNode line = onlyLine();
    assertEquals("bob", line.get("user").asText());
    assertEquals("192.0.2.7", line.get("address").asText());
    assertEquals("upload", line.get("direction").asText());
    assertEquals("/big.iso", line.get("path").asText(), "resolved against the current folder");
    assertEquals(0, line.get("bytes").asLong());
    assertEquals(30, line.get("quotaBefore").asLong(), "what the user stores now");
    assertEquals(30, line.get("quotaAfter").asLong());
    assertEquals("quota-exceeded", line.get("result").asText());
  }

  @Test
  void aPathThatDoesNotResolveIsLoggedEscapedAndAnUncountedUserAsMinusOne() throws Exception {
    RefusedTransfers refused = new RefusedTransfers(new TransferLog(), quotas);
    refused.refused(new Login("nobody", "1", home, "/"), "192.0.2.8", RefusedTransfers.DOWNLOAD, "a\nb\\c",
        "bad-path");
    JsonNode line = onlyLine();
    assertEquals("download", line.get("direction").asText());
    assertEquals("a\\u000ab\\\\c", line.get("path").asText(), "line separators never reach the log raw");
    assertEquals(-1, line.get("quotaBefore").asLong(), "a user the quotas do not count");
    assertEquals("bad-path", line.get("result").asText());
  }

  @Test
  void everyRefusalsResultIsItsNameInLowerCaseWithHyphens() {
    assertEquals("not-found", RefusedTransfers.resultOf(Refusal.NOT_FOUND));
    assertEquals("quota-exceeded", RefusedTransfers.resultOf(Refusal.QUOTA_EXCEEDED));
    assertEquals("busy", RefusedTransfers.resultOf(Refusal.BUSY));
  }
}
