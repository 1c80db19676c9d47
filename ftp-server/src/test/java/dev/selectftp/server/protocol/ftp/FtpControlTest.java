package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FTP control connection against the real server on loopback, with the demo user. */
class FtpControlTest {
  @TempDir Path dir;
  private FtpServer server;

  @BeforeEach
  void start() throws Exception {
    server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String code(String reply) {
    return reply.substring(0, 3);
  }

  @Test
  void greetsAndRefusesFileCommandsBeforeLogin() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      assertEquals("220", code(c.reply()));
      assertEquals("215 UNIX Type: L8", c.command("SYST"));
      for (String cmd : new String[] {"PWD", "CWD /", "MKD x", "DELE welcome.txt", "SIZE welcome.txt", "RNFR a"}) {
        assertEquals("530", code(c.command(cmd)), cmd);
      }
      assertEquals("503", code(c.command("PASS 123456")));
      assertEquals("200", code(c.command("NOOP")));
    }
  }

  @Test
  void theDemoUserLogsInAndMovesAroundItsHome() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      assertEquals("230", code(c.login("xiaoyu", "123456")));
      assertEquals("257 \"/\" is the current folder", c.command("PWD"));
      String feat = c.command("FEAT");
      assertTrue(feat.startsWith("211-") && feat.endsWith("211 End") && feat.contains(" UTF8"), feat);
      assertEquals("200", code(c.command("OPTS UTF8 ON")));
      assertEquals("200", code(c.command("TYPE I")));
      assertEquals("504", code(c.command("TYPE E")));
      assertEquals("200", code(c.command("MODE S")));
      assertEquals("200", code(c.command("STRU F")));
      long size = Files.size(dir.resolve("home/xiaoyu/sample.bin"));
      assertEquals("213 " + size, c.command("SIZE sample.bin"));
      assertEquals("550", code(c.command("SIZE notes")));
      assertTrue(c.command("MDTM sample.bin").matches("213 20\\d{12}"));
      assertEquals("550", code(c.command("MDTM notes")));
      String help = c.command("HELP");
      assertTrue(help.startsWith("214-") && help.contains(" RETR ") && help.endsWith("214 See RFC 959."), help);
      assertEquals("226", code(c.command("ABOR")));
      assertEquals("550", code(c.command("SIZE nothing-here")));
      assertEquals("257", code(c.command("MKD made")));
      assertEquals("550", code(c.command("MKD made")));
      assertEquals("250", code(c.command("CWD made")));
      assertEquals("257 \"/made\" is the current folder", c.command("PWD"));
      assertEquals("250", code(c.command("CDUP")));
      assertEquals("257 \"/\" is the current folder", c.command("PWD"));
      assertEquals("550", code(c.command("RMD welcome.txt")));
      assertEquals("550", code(c.command("DELE made")));
      assertEquals("250", code(c.command("RMD made")));
      assertTrue(!Files.exists(dir.resolve("home/xiaoyu/made")));
      assertEquals("503", code(c.command("RNTO x")));
      assertEquals("550", code(c.command("RNFR nothing-here")));
      assertEquals("350", code(c.command("RNFR welcome.txt")));
      assertEquals("250", code(c.command("RNTO hello.txt")));
      assertTrue(Files.exists(dir.resolve("home/xiaoyu/hello.txt")));
      assertEquals("250", code(c.command("DELE hello.txt")));
      assertTrue(!Files.exists(dir.resolve("home/xiaoyu/hello.txt")));
      assertEquals("530", code(c.command("USER someone")));
      assertEquals("221", code(c.command("QUIT")));
      assertEquals(null, c.reply());
    }
  }

  @Test
  void climbingOutOfTheHomeStaysInTheHome() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      assertEquals("230", code(c.login("xiaoyu", "123456")));
      assertEquals("250", code(c.command("CWD ../../..")));
      assertEquals("257 \"/\" is the current folder", c.command("PWD"));
      assertEquals("250", code(c.command("CWD notes/../../../..")));
      assertEquals("257 \"/\" is the current folder", c.command("PWD"));
      assertEquals("553", code(c.command("SIZE ../../users.json")));
      assertEquals("553", code(c.command("MKD ../escape")));
      assertEquals("550", code(c.command("CWD /etc")));
    }
  }

  @Test
  void aWrongPasswordGets530AndTheSessionMayTryAgain() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      assertEquals("530", code(c.login("xiaoyu", "wrong")));
      assertEquals("530", code(c.command("PWD")));
      c.command("USER xiaoyu");
      assertEquals("230", code(c.command("PASS 123456")), "the session may try again");
    }
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.reply();
      c.command("USER nobody");
      assertEquals("530", code(c.command("PASS 123456")), "an unknown name fails like a wrong password");
    }
  }

  @Test
  void aHundredKilobyteLineWithoutEndGets500AndTheConnectionGoesOn() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      assertEquals("230", code(c.login("xiaoyu", "123456")));
      byte[] junk = new byte[100 * 1024];
      Arrays.fill(junk, (byte) 'A');
      c.sendRaw(junk);
      Thread.sleep(200);
      assertTrue(server.connectionBufferedBytes() <= LineReader.MAX_LINE_BYTES + 64 * 1024,
          "a line over the cap is not kept");
      c.sendRaw("\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals("500", code(c.reply()));
      assertEquals("257 \"/\" is the current folder", c.command("PWD"));
    }
  }
}
