package dev.selectftp.server.protocol.ftp;

import static dev.selectftp.server.storage.s3.ObjectStorageTests.WINDOW_BYTES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.testing.LogLines;
import dev.selectftp.server.testing.SlowS3Server;
import dev.selectftp.server.testing.SpoolWatch;
import dev.selectftp.server.testing.ThrottledRelay;
import dev.selectftp.server.testing.ThrowawayS3;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RETR from homes on S3 (S3Proxy behind a {@link ThrottledRelay#answers} relay that logs each GET's range):
 * a REST + RETR fetches nothing before its offset, and a store that goes away mid-RETR ends the transfer
 * with 451 while the control connection serves on and the spool empties.
 */
@Timeout(120)
class FtpOnS3DownloadTest {
  /** Three windows and a bit. */
  private static final int SIZE = (int) (3 * WINDOW_BYTES + 4_321);
  private static final int MIB = 1 << 20;

  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();
  @TempDir Path dir;

  private static byte[] content(long seed) {
    byte[] content = new byte[SIZE];
    new Random(seed).nextBytes(content);
    return content;
  }

  /** An offset inside the first window as well as past it: the label spares the prefix hash, so no GET before it. */
  @ParameterizedTest
  @ValueSource(longs = {777, WINDOW_BYTES + 777})
  void aRetrAfterRestFetchesNothingBeforeItsOffset(long from) throws Exception {
    byte[] content = content(31);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    try (SlowS3Server slow = SlowS3Server.behind(
            ThrottledRelay.answers(STORE.endpoint(), 256L << 20), dir, "rest", config -> config.withFtpPort(0));
        FtpLineClient c = new FtpLineClient(slow.server().ftpPort())) {
      assertTrue(c.login("xiaoyu", "123456").startsWith("230"));
      assertTrue(c.command("TYPE I").startsWith("200"));
      String stored = FtpTools.store(c, "big.bin", content);
      assertTrue(stored.startsWith("226"), stored);
      int before = slow.relay().ranges().size();
      byte[] got;
      try (Socket data = FtpTools.passive(c)) {
        assertTrue(c.command("REST " + from).startsWith("350"));
        String first = c.command("RETR big.bin");
        assertTrue(first.startsWith("150"), first);
        got = data.getInputStream().readAllBytes();
      }
      String end = c.reply();
      assertTrue(end.startsWith("226") && end.contains(sha256), end);
      assertArrayEquals(Arrays.copyOfRange(content, (int) from, SIZE), got);
      List<Long> gets = slow.relay().ranges().subList(before, slow.relay().ranges().size());
      assertTrue(!gets.isEmpty() && gets.stream().allMatch(start -> start >= from),
          "every GET starts at or after the offset " + from + ": " + gets);
      SpoolWatch.assertEmptied(dir);
    }
  }

  @Test
  void aStoreThatGoesAwayMidRetrGets451AndTheControlConnectionServesOn() throws Exception {
    byte[] content = content(32);
    try (LogLines logs = new LogLines();
        SlowS3Server slow = SlowS3Server.behind(
            ThrottledRelay.answers(STORE.endpoint(), 4L << 20), dir, "gone", config -> config.withFtpPort(0));
        FtpLineClient c = new FtpLineClient(slow.server().ftpPort())) {
      assertTrue(c.login("xiaoyu", "123456").startsWith("230"));
      assertTrue(c.command("TYPE I").startsWith("200"));
      assertTrue(FtpTools.store(c, "big.bin", content).startsWith("226"));
      long received;
      try (Socket data = FtpTools.passive(c)) {
        String first = c.command("RETR big.bin");
        assertTrue(first.startsWith("150"), first);
        InputStream in = data.getInputStream();
        byte[] head = in.readNBytes(MIB);
        assertArrayEquals(Arrays.copyOf(content, MIB), head);
        slow.relay().close(); // the store is unreachable from now on
        received = MIB + in.readAllBytes().length;
      }
      String end = c.reply();
      assertTrue(end.startsWith("451"), end);
      assertTrue(received < SIZE, "the data connection closed short of the file: " + received);
      assertTrue(c.command("NOOP").startsWith("200"), "the control connection serves on");
      assertTrue(c.command("PWD").startsWith("257"));
      SpoolWatch.assertEmptied(dir);
      // The transfer log names the store's failure as the SelectFTP door does, not a client that went away.
      List<String> line = logs.containing("\"direction\":\"download\"", 5_000);
      assertEquals(1, line.size(), "one download line: " + line);
      assertTrue(line.get(0).contains("\"result\":\"internal\""), line.get(0));
    }
  }
}
