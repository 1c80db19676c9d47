package dev.selectftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.selectftp.server.admin.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --ftp-port}: on by default at 2122, 0 turns the standard FTP door off; tests keep it off. */
class FtpPortOptionTest {
  @TempDir Path dir;

  static ServerConfig config(String... args) throws Settings.Invalid {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    var cmd = Main.commandLine(Terminal.streams(new ByteArrayInputStream(new byte[0]), sink, sink));
    cmd.parseArgs(args);
    return ((Main) cmd.getCommand()).settings().toServerConfig();
  }

  @Test
  void theEmbeddedDefaultServesFtpOn2122() throws Exception {
    assertEquals(ServerConfig.DEFAULT_FTP_PORT, config().ftpPort());
    assertEquals(2122, ServerConfig.DEFAULT_FTP_PORT);
  }

  @Test
  void portZeroOnTheCommandLineTurnsTheDoorOff() throws Exception {
    assertFalse(config("--ftp-port", "0").ftpEnabled());
    assertEquals(2200, config("--ftp-port", "2200").ftpPort());
    assertThrows(Settings.Invalid.class, () -> config("--ftp-port", "70000"));
  }

  @Test
  void testConfigsKeepTheDoorOffUnlessATestAsks() {
    assertFalse(ServerConfig.forTests(dir).ftpEnabled());
    assertEquals(0, ServerConfig.forTests(dir).withFtpPort(0).ftpPort());
  }
}
