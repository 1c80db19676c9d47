package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.accounts.LoginThrottle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FTP door's wrong PASS waits out the same growing delay as the SelectFTP door's wrong proof (the core's
 * LoginFlow), on a loop timer: a bystander is answered meanwhile. Real server on loopback, demo user.
 */
class FtpLoginDelayTest {
  @TempDir Path dir;

  /** Sends a wrong PASS for the demo user; returns how long its 530 took. */
  private static Duration wrongPass(FtpLineClient c) throws Exception {
    assertEquals("331", c.command("USER xiaoyu").substring(0, 3));
    long sent = System.nanoTime();
    c.sendRaw("PASS wrong\r\n".getBytes(StandardCharsets.US_ASCII));
    String reply = c.reply();
    Duration took = Duration.ofNanos(System.nanoTime() - sent);
    assertEquals("530 wrong user name or password", reply);
    return took;
  }

  @Test
  void wrongPasswordsAreAnsweredLaterAndLaterWhileABystanderIsServed() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0));
        FtpLineClient guesser = new FtpLineClient(server.ftpPort());
        FtpLineClient bystander = new FtpLineClient(server.ftpPort())) {
      guesser.reply();
      bystander.reply();
      Duration first = wrongPass(guesser);
      assertTrue(first.compareTo(LoginThrottle.BASE_DELAY) >= 0, "the first failure waits the base delay: " + first);

      assertEquals("331", guesser.command("USER xiaoyu").substring(0, 3));
      long sent = System.nanoTime();
      guesser.sendRaw("PASS wrong\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals("200", bystander.command("NOOP").substring(0, 3));
      assertFalse(guesser.replyWaiting(), "the bystander was answered before the failure");
      assertEquals("530 wrong user name or password", guesser.reply());
      Duration second = Duration.ofNanos(System.nanoTime() - sent);
      assertTrue(second.compareTo(LoginThrottle.BASE_DELAY.multipliedBy(2)) >= 0,
          "the second failure waits twice as long: " + second);

      assertEquals("331", guesser.command("USER xiaoyu").substring(0, 3));
      assertEquals("230", guesser.command("PASS 123456").substring(0, 3), "the right password still logs in");
    }
  }
}
