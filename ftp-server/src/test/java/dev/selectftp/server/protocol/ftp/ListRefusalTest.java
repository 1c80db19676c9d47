package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listing that cannot be read is refused before any 150 (RFC 959's LIST sequence is 1yz then 226, or an
 * error alone): rclone takes a lone 550 as "no such folder" and creates it, a 550 after 150 as a failure.
 */
class ListRefusalTest {
  private static final Pattern EPSV = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");

  @TempDir Path dir;

  @Test
  void listingAMissingFolderGetsA550WithNo150Before() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0));
        FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      for (String command : new String[] {"LIST no-such-folder", "NLST no-such-folder"}) {
        Matcher m = EPSV.matcher(c.command("EPSV"));
        assertTrue(m.find());
        try (Socket data = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)))) {
          String reply = c.command(command);
          assertTrue(reply.startsWith("550 "), command + ": " + reply);
        }
        assertEquals("257", c.command("PWD").substring(0, 3), "the next reply is PWD's: no late 226 or 550");
      }
    }
  }
}
