package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passive data connections: only the control connection's address may take one (port theft, RFC 2577). */
class PassiveDataTest {
  private static final Pattern EPSV = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  /** The idle timeout of the slow-upload test; sweeps run each second. */
  private static final int IDLE_SECONDS = 2;

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

  private static int epsvPort(String reply) {
    Matcher m = EPSV.matcher(reply);
    assertTrue(m.find(), reply);
    return Integer.parseInt(m.group(1));
  }

  @Test
  void aDataConnectionFromAnotherAddressIsClosedAndTheRightOneStillWorks() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      int port = epsvPort(c.command("EPSV"));
      // 127.0.0.2 is loopback too on Linux, but not the control connection's 127.0.0.1.
      try (Socket thief = new Socket()) {
        thief.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        thief.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        thief.setSoTimeout(READ_TIMEOUT_MILLIS);
        c.sendRaw("NLST\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("150", c.reply().substring(0, 3));
        assertEquals(-1, thief.getInputStream().read(), "the thief gets nothing but a close");
      }
      try (Socket data = new Socket(InetAddress.getLoopbackAddress(), port)) {
        data.setSoTimeout(READ_TIMEOUT_MILLIS);
        try (InputStream in = data.getInputStream()) {
          String names = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          assertEquals("notes\r\nsample.bin\r\nwelcome.txt\r\n", names);
        }
      }
      assertEquals("226", c.reply().substring(0, 3));
      assertEquals("425", c.command("LIST").substring(0, 3), "a passive offer serves one transfer");
    }
  }

  @Test
  void anUploadLongerThanTheIdleTimeoutKeepsItsControlConnection() throws Exception {
    try (FtpServer slow = FtpServer.start(ServerConfig.forTests(dir.resolve("slow")).withFtpPort(0)
        .withTimeouts(java.time.Duration.ofSeconds(IDLE_SECONDS), java.time.Duration.ofSeconds(IDLE_SECONDS)));
        FtpLineClient c = new FtpLineClient(slow.ftpPort())) {
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      int port = epsvPort(c.command("EPSV"));
      try (Socket data = new Socket(InetAddress.getLoopbackAddress(), port)) {
        assertEquals("150", c.command("STOR slow.txt").substring(0, 3));
        // Twice the idle timeout of trickling: the control connection hears nothing all along.
        for (int i = 0; i < 4 * IDLE_SECONDS; i++) {
          data.getOutputStream().write('x');
          data.getOutputStream().flush();
          Thread.sleep(500);
        }
      }
      assertEquals("226", c.reply().substring(0, 3));
      assertEquals("x".repeat(4 * IDLE_SECONDS),
          java.nio.file.Files.readString(dir.resolve("slow/home/xiaoyu/slow.txt")));
    }
  }

  @Test
  void transfersBeforeLoginOrWithoutPassiveModeAreRefused() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.reply();
      assertEquals("530", c.command("EPSV").substring(0, 3));
      assertEquals("530", c.command("RETR sample.bin").substring(0, 3));
      c.command("USER xiaoyu");
      c.command("PASS 123456");
      assertEquals("425", c.command("RETR sample.bin").substring(0, 3));
      assertEquals("550", c.command("RETR nothing-here").substring(0, 3));
      assertEquals("502", c.command("PORT 127,0,0,1,4,1").substring(0, 3));
      assertEquals("502", c.command("EPRT |1|127.0.0.1|1025|").substring(0, 3));
    }
  }
}
