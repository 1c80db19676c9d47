package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.hostile.Bystander;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 4, on the FTP door: a logged-in FTP bystander times {@code PWD} on its control connection
 * while other FTP clients wait out failed-login delays, or download a big file over data connections that
 * never read or read slowly. A blocking call on the loop for either fails {@link Bystander#assertFair}.
 */
class FtpBystanderRoundTripTest {
  private static final long DOWNLOAD_BYTES = 256L * 1024 * 1024;
  private static final long WATCH_MILLIS = 1_500;
  /** Three failures wait 1.75 s in all; the rest is room for a loaded machine. */
  private static final Duration GUESSING_WITHIN = Duration.ofSeconds(15);

  @TempDir Path dir;

  /** A logged-in FTP bystander timing {@code PWD} on {@code ftpPort}. */
  static Bystander pwd(int ftpPort) throws IOException {
    FtpLineClient c = new FtpLineClient(ftpPort);
    assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
    return Bystander.start(() -> {
      String reply = c.command("PWD");
      if (!reply.startsWith("257")) throw new AssertionError("PWD answered " + reply);
    }, c);
  }

  /** Four FTP clients send three wrong passwords each (250, 500, 1,000 ms of delay), all at once. */
  @Test
  void wrongPasswordsWaitingOutTheirDelayDoNotHoldABystander() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0))) {
      List<FtpLineClient> guessers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        FtpLineClient g = FtpLineClient.from("127.0.7." + (1 + i), server.ftpPort()); // per-address delays
        g.reply();
        guessers.add(g);
      }
      Bystander.loopStats(server.port());
      try (Bystander bystander = pwd(server.ftpPort())) {
        List<Bystander.RoundTrip> guessing = new ArrayList<>();
        for (int i = 0; i < guessers.size(); i++) {
          FtpLineClient guesser = guessers.get(i);
          String user = "guessed-" + i;
          guessing.add(() -> {
            for (int n = 0; n < 3; n++) {
              assertEquals("331", guesser.command("USER " + user).substring(0, 3));
              assertEquals("530", guesser.command("PASS wrong").substring(0, 3));
            }
          });
        }
        Bystander.together(guessing, GUESSING_WITHIN);
        Bystander.assertFair("four FTP clients' failed-login delays", bystander.stop(), server.port());
      } finally {
        for (FtpLineClient g : guessers) g.close();
      }
    }
  }

  /**
   * RETR of a 256 MiB file over one data connection that never reads and one read 16 KiB at a time. The
   * clients log in and open their data connections before the bystander starts.
   */
  @Test
  void downloadsOverDataConnectionsThatNeverReadOrReadSlowlyDoNotHoldABystander() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0));
        FtpLineClient stalled = new FtpLineClient(server.ftpPort());
        FtpLineClient slow = new FtpLineClient(server.ftpPort())) {
      try (RandomAccessFile sparse = new RandomAccessFile(dir.resolve("home/xiaoyu/big.bin").toFile(), "rw")) {
        sparse.setLength(DOWNLOAD_BYTES);
      }
      List<Socket> data = new ArrayList<>();
      try {
        for (FtpLineClient c : List.of(stalled, slow)) {
          assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
          Socket d = new Socket();
          d.setReceiveBufferSize(4096);
          d.setSoTimeout((int) Bystander.ANSWER_WITHIN.toMillis());
          d.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), c.passivePort()), 5_000);
          data.add(d);
        }
        InputStream slowIn = data.get(1).getInputStream();
        Bystander.loopStats(server.port());
        long read = 0;
        IOException slowFailed = null;
        try (Bystander bystander = pwd(server.ftpPort())) {
          for (FtpLineClient c : List.of(stalled, slow)) {
            c.sendRaw("RETR big.bin\r\n".getBytes(StandardCharsets.US_ASCII));
          }
          long until = System.nanoTime() + WATCH_MILLIS * 1_000_000;
          byte[] slice = new byte[16 * 1024];
          try {
            while (System.nanoTime() < until) {
              read += slowIn.readNBytes(slice, 0, slice.length);
              Thread.sleep(5);
            }
          } catch (IOException e) {
            slowFailed = e;
          }
          Bystander.assertFair("FTP downloads never read and read slowly (" + read / 1024 + " KiB read)",
              bystander.stop(), server.port());
        }
        assertTrue(slowFailed == null, "the slow reader was served: " + slowFailed);
        assertTrue(read > 0, "the slow reader got bytes");
        assertEquals("150", slow.reply().substring(0, 3), "RETR was accepted");
      } finally {
        for (Socket d : data) d.close();
      }
    }
  }
}
