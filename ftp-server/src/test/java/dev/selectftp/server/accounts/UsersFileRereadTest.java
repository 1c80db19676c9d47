package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.selectftp.common.ScramCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A users file damaged and then repaired by hand while the server runs: the last good users are kept and
 * the damage is warned about once per bad version, and the repaired file is read again in full.
 */
class UsersFileRereadTest {
  private static final int ITERATIONS = ScramCredentials.MIN_ITERATIONS;
  @TempDir Path data;
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(Accounts.class);

  @BeforeEach
  void setUp() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(lines);
  }

  private long warnings() {
    return lines.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
  }

  @Test
  void aDamagedFileIsWarnedAboutOnceAndItsRepairIsReadAgain() throws Exception {
    Accounts server = Accounts.open(data, 0, ITERATIONS);
    server.create("ola", new ScramCredentials(new byte[16], ITERATIONS, new byte[32], new byte[32]));
    Path file = data.resolve(UserStore.FILE_NAME);
    byte[] good = Files.readAllBytes(file);
    Accounts.open(data, 0, ITERATIONS).create("pia", new ScramCredentials(new byte[16], ITERATIONS,
        new byte[32], new byte[32]));
    assertTrue(server.refreshIfChanged(), "another process's new account");
    assertTrue(server.find("pia").isPresent());

    Files.writeString(file, "not json at all");
    assertFalse(server.refreshIfChanged());
    assertFalse(server.refreshIfChanged(), "the same bad version again");
    assertEquals(1, warnings(), "one warning per bad version");
    assertTrue(server.find("ola").isPresent(), "the last good users are kept");

    Files.write(file, good); // repaired by hand, without the journal's later account
    assertTrue(server.refreshIfChanged(), "the repaired file is read again in full");
    assertTrue(server.find("ola").isPresent());
    assertEquals(1, warnings());
  }
}
