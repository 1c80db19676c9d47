package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.accounts.Accounts;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FTP door keeps the SelectFTP door's rule (core's {@code Login.accountStillExists}): an FTP session whose
 * account was removed since it logged in is closed at its next command, so it never reaches the home of
 * whoever registers that name next. Real server on loopback, the demo user removed as `user remove` does.
 */
class FtpRemovedAccountTest {
  @TempDir Path dir;

  @Test
  void aSessionWhoseAccountWasRemovedIsClosedAtItsNextCommand() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0));
        FtpLineClient old = new FtpLineClient(server.ftpPort())) {
      old.reply();
      assertEquals("331", old.command("USER xiaoyu").substring(0, 3));
      assertEquals("230", old.command("PASS 123456").substring(0, 3));
      assertEquals("257", old.command("PWD").substring(0, 3), "logged in and working");

      Accounts admin = Accounts.open(dir, 1 << 20, ScramCredentials.MIN_ITERATIONS);
      assertTrue(admin.remove("xiaoyu").isPresent());
      Thread.sleep(Duration.ofNanos(Accounts.REFRESH_INTERVAL_NANOS).toMillis() + 200); // the server notices

      assertEquals("421 your account was removed; log in again", old.command("PWD"));
      assertNull(old.reply(), "and the control connection is closed");
    }
  }
}
