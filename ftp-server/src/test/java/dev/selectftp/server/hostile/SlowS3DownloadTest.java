package dev.selectftp.server.hostile;

import static dev.selectftp.server.storage.s3.ObjectStorageTests.MAX_WINDOWS;
import static dev.selectftp.server.storage.s3.ObjectStorageTests.WINDOW_BYTES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.testing.SlowS3Server;
import dev.selectftp.server.testing.SpoolWatch;
import dev.selectftp.server.testing.ThrottledRelay;
import dev.selectftp.server.testing.ThrowawayS3;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads on the SelectFTP door from homes on S3 (S3Proxy) behind a slow link that can stall or go away
 * ({@link ThrottledRelay#answers}): the file comes in ranged GETs of one window each, the node's spool holds
 * at most the server's bound of windows however slow the client, a store that stalls pauses the send
 * without holding the loop (a bystander is served, the loop's longest pass stays short), and a store that
 * goes away ends that download while the server serves on.
 */
@Timeout(180)
class SlowS3DownloadTest {
  /** The store's answers: 16 MiB/s. */
  private static final long STORE_RATE = 16L << 20;
  /** Six windows and a bit. */
  private static final int SIZE = (int) (6 * WINDOW_BYTES + 12_345);
  /** How long the store stalls, and the client then stops reading: far over the loop's longest pass. */
  private static final long STALL_MILLIS = 2_000;
  private static final int MIB = 1 << 20;

  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();
  @TempDir Path dir;

  private static byte[] content(long seed) {
    byte[] content = new byte[SIZE];
    new Random(seed).nextBytes(content);
    return content;
  }

  @Test
  void aDownloadFromAStoreThatStallsPausesWithoutHoldingTheLoopAndTheSpoolHoldsTwoWindowsAtMost() throws Exception {
    byte[] content = content(21);
    try (SlowS3Server slow = SlowS3Server.behind(
            ThrottledRelay.answers(STORE.endpoint(), STORE_RATE), dir, "stall", config -> config)) {
      Bystander.Measured seen;
      try (RawClient c = RawClient.connect(slow.server().port()).login("xiaoyu", "123456")) {
        c.socket.setSoTimeout(60_000);
        assertTrue(c.upload("big.bin", content) instanceof Response.PutDone);
        int before = slow.relay().ranges().size();
        try (SpoolWatch spool = SpoolWatch.downloads(dir); Bystander bystander = Bystander.pwd(slow.server().port())) {
          Bystander.loopStats(slow.server().port()); // from here: the download's passes
          c.send(new Request.Get("big.bin", 0, null));
          Response.GetReady ready = c.expect(Response.GetReady.class);
          byte[] got = new byte[SIZE];
          c.readRaw(got, 0, MIB);
          slow.relay().hold(true); // the store stalls mid-answer: the send must wait for it off the loop
          Thread.sleep(STALL_MILLIS);
          slow.relay().hold(false);
          Thread.sleep(STALL_MILLIS); // and the client stops reading: the fetches must not run ahead of it
          c.readRaw(got, MIB, SIZE - MIB);
          Response.GetDone done = c.expect(Response.GetDone.class);
          seen = bystander.stop();
          assertEquals(SIZE, ready.size());
          assertArrayEquals(content, got);
          assertEquals(RawClient.sha256(content), done.sha256());
          System.out.printf("[slow store download] %d MiB: at most %d windows, %d MiB in the spool (%d samples)%n",
              SIZE / MIB, spool.most(), spool.mostBytes() / MIB, spool.samples());
          assertTrue(spool.samples() > 100, "the spool watch ran");
          assertTrue(spool.most() <= MAX_WINDOWS, "windows held at once: " + spool.most());
          assertTrue(spool.mostBytes() <= MAX_WINDOWS * WINDOW_BYTES, "spool bytes at once: " + spool.mostBytes());
        }
        List<Long> gets = slow.relay().ranges().subList(before, slow.relay().ranges().size());
        assertEquals((SIZE + WINDOW_BYTES - 1) / WINDOW_BYTES, gets.size(), "one GET per window: " + gets);
        assertEquals(gets.size(), new HashSet<>(gets).size(), "no window fetched twice: " + gets);
      }
      Bystander.assertFair("a download from a store that stalls", seen, slow.server().port());
      SpoolWatch.assertEmptied(dir);
    }
  }

  @Test
  void aStoreThatGoesAwayMidDownloadEndsThatDownloadAndTheServerServesOn() throws Exception {
    byte[] content = content(22);
    try (SlowS3Server slow = SlowS3Server.behind(
            ThrottledRelay.answers(STORE.endpoint(), STORE_RATE / 4), dir, "gone", config -> config);
        RawClient c = RawClient.connect(slow.server().port()).login("xiaoyu", "123456");
        RawClient other = RawClient.connect(slow.server().port()).login("xiaoyu", "123456")) {
      c.socket.setSoTimeout(60_000);
      assertTrue(c.upload("big.bin", content) instanceof Response.PutDone);
      c.send(new Request.Get("big.bin", 0, null));
      c.expect(Response.GetReady.class);
      byte[] got = new byte[SIZE];
      c.readRaw(got, 0, MIB);
      slow.relay().close(); // the store is unreachable from now on
      assertThrows(IOException.class, () -> c.readRaw(got, MIB, SIZE - MIB),
          "raw bytes cannot carry an error: the connection closes short of the file");
      assertArrayEquals(Arrays.copyOf(content, MIB), Arrays.copyOf(got, MIB));
      other.send(new Request.PrintDir());
      other.expect(Response.Cwd.class); // the server and other sessions go on
      SpoolWatch.assertEmptied(dir);
    }
  }

  @Test
  void aResumedDownloadChecksItsPrefixOnceAndTheSendFetchesNothingAgain() throws Exception {
    byte[] content = content(23);
    int from = (int) WINDOW_BYTES + 999;
    try (SlowS3Server slow = SlowS3Server.behind(
            ThrottledRelay.answers(STORE.endpoint(), 16 * STORE_RATE), dir, "resume", config -> config);
        RawClient c = RawClient.connect(slow.server().port()).login("xiaoyu", "123456")) {
      c.socket.setSoTimeout(60_000);
      assertTrue(c.upload("big.bin", content) instanceof Response.PutDone);
      int before = slow.relay().ranges().size();
      c.send(new Request.Get("big.bin", from, RawClient.sha256(Arrays.copyOf(content, from))));
      Response.GetReady ready = c.expect(Response.GetReady.class);
      assertEquals(from, ready.offset(), "the prefix matched");
      byte[] rest = new byte[SIZE - from];
      c.readRaw(rest);
      assertEquals(RawClient.sha256(content), c.expect(Response.GetDone.class).sha256());
      assertArrayEquals(Arrays.copyOfRange(content, from, SIZE), rest);
      List<Long> gets = slow.relay().ranges().subList(before, slow.relay().ranges().size());
      assertEquals((SIZE + WINDOW_BYTES - 1) / WINDOW_BYTES, gets.size(),
          "the prefix check's windows carry on into the send, none fetched again: " + gets);
      assertEquals(gets.size(), new HashSet<>(gets).size(), "no window fetched twice: " + gets);
      SpoolWatch.assertEmptied(dir);
    }
  }
}
