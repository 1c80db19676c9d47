package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.accounts.LoginThrottle;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 4, on the SelectFTP door: a logged-in bystander times {@code pwd} while another client is
 * delayed (failed logins), throttled (an attacked address), paging a big listing, or streaming a big
 * download it reads slowly or not at all. Each of these waits or works in bounded steps off the loop; a
 * blocking call on the loop for any of them fails {@link Bystander#assertFair}. The breaks tried are in
 * docs/TESTING.md ("Promises and fairness").
 */
class BystanderRoundTripTest {
  /** Files in the folder the pagers walk: many pages of {@code ListingFrames.PAGE}. */
  private static final int ENTRIES = 10_000;
  private static final int PAGERS = 8;
  /** Large enough that neither the kernel's buffers nor the server's slices hold it: a sparse file. */
  private static final long DOWNLOAD_BYTES = 256L * 1024 * 1024;
  private static final long WATCH_MILLIS = 1_500;
  /** Three failures wait 1.75 s in all; the rest is room for a loaded machine. */
  private static final Duration GUESSING_WITHIN = Duration.ofSeconds(15);

  @TempDir Path dir;

  /** Four clients fail three logins each (250, 500, 1,000 ms of delay), all at once. */
  @Test
  void failedLoginsWaitingOutTheirDelayDoNotHoldABystander() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      List<RawClient> guessers = new ArrayList<>();
      for (int i = 0; i < 4; i++) guessers.add(RawClient.connect(server.port(), "127.0.6." + (1 + i)));
      Bystander.loopStats(server.port());
      try (Bystander bystander = Bystander.pwd(server.port())) {
        List<Bystander.RoundTrip> guessing = new ArrayList<>();
        for (int i = 0; i < guessers.size(); i++) {
          RawClient guesser = guessers.get(i);
          String user = "guessed-" + i;
          guessing.add(() -> {
            for (int n = 0; n < 3; n++) {
              BruteForceTest.sendWrongProof(guesser, user);
              guesser.expectError(ErrorCode.AUTH_FAILED);
            }
          });
        }
        Bystander.together(guessing, GUESSING_WITHIN);
        Bystander.assertFair("four clients' failed-login delays", bystander.stop(), server.port());
      } finally {
        guessers.forEach(RawClient::close);
      }
    }
  }

  /**
   * One address fails {@code ADDRESS_SLOWDOWN_FAILURES} logins with made-up names and is slowed: its
   * failures wait up to the longest delay and its newcomers find the logins in flight capped.
   */
  @Test
  void anAddressThrottledByTheLoginThrottleDoesNotHoldABystander() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      String attacked = "127.0.6.10";
      List<RawClient> attempts = new ArrayList<>();
      Bystander.loopStats(server.port());
      try (Bystander bystander = Bystander.pwd(server.port())) {
        for (int i = 0; i < LoginThrottle.ADDRESS_SLOWDOWN_FAILURES; i++) {
          RawClient c = RawClient.connect(server.port(), attacked);
          attempts.add(c);
          BruteForceTest.sendWrongProof(c, "sprayed-" + i);
        }
        long until = System.nanoTime() + WATCH_MILLIS * 1_000_000;
        Response.Error busy = null;
        for (int i = 0; busy == null && System.nanoTime() < until; i++) {
          RawClient c = RawClient.connect(server.port(), attacked);
          attempts.add(c);
          c.send(new Request.AuthStart(new ScramClient("newcomer-" + i, "x".toCharArray()).clientFirst()));
          if (c.next() instanceof Response.Error e) busy = e;
        }
        while (System.nanoTime() < until) Thread.sleep(20); // the failures' delays run meanwhile
        Bystander.assertFair("an address throttled after " + attempts.size() + " logins", bystander.stop(),
            server.port());
        assertTrue(busy != null, "the attacked address is throttled");
        assertEquals(ErrorCode.LOCKED_OUT.code(), busy.code());
      } finally {
        attempts.forEach(RawClient::close);
      }
    }
  }

  /**
   * Eight clients walk a folder of 10,000 entries page by page, over and over. Each page is read from the
   * whole folder (it is sorted by name), so on the loop eight of them in one pass would cost eight folder
   * reads; off the loop the listing thread takes them one at a time and the loop only passes replies on.
   */
  @Test
  void clientsPagingAHugeListingDoNotHoldABystander() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      Path big = Files.createDirectories(dir.resolve("home/xiaoyu/big"));
      for (int i = 0; i < ENTRIES; i++) Files.createFile(big.resolve(String.format("entry-%05d", i)));
      List<RawClient> pagers = new ArrayList<>();
      try {
        for (int i = 0; i < PAGERS; i++) pagers.add(RawClient.connect(server.port()).login("xiaoyu", "123456"));
        AtomicLong pages = new AtomicLong();
        AtomicLong walks = new AtomicLong();
        long until = System.nanoTime() + WATCH_MILLIS * 1_000_000;
        List<Bystander.RoundTrip> paging = new ArrayList<>();
        for (RawClient pager : pagers) {
          paging.add(() -> {
            String after = null;
            while (System.nanoTime() < until) {
              pager.send(new Request.List("big", after));
              Response.Listing page = pager.expect(Response.Listing.class);
              assertTrue(!page.entries().isEmpty(), "a page holds entries");
              after = page.next();
              pages.incrementAndGet();
              if (after == null) walks.incrementAndGet();
            }
          });
        }
        Bystander.loopStats(server.port());
        try (Bystander bystander = Bystander.pwd(server.port())) {
          Bystander.together(paging, Duration.ofMillis(WATCH_MILLIS).plus(GUESSING_WITHIN));
          assertTrue(pages.get() > PAGERS, "the pagers were served page after page: " + pages.get());
          Bystander.assertFair(PAGERS + " clients paging " + ENTRIES + " entries (" + pages.get() + " pages, "
              + walks.get() + " walks)", bystander.stop(), server.port());
        }
      } finally {
        pagers.forEach(RawClient::close);
      }
    }
  }

  /**
   * One client asks for a 256 MiB file and never reads; another reads the same file 16 KiB at a time. Both
   * log in before the bystander starts, so a loop stuck on their downloads fails the bystander's bound (not
   * a login's read timeout).
   */
  @Test
  void downloadsToAClientThatNeverReadsAndToASlowReaderDoNotHoldABystander() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient stalled = RawClient.connectQuiet(server.port(), "127.0.6.20", 4096);
        RawClient slow = RawClient.connectQuiet(server.port(), "127.0.6.21", 4096)) {
      try (RandomAccessFile sparse = new RandomAccessFile(dir.resolve("home/xiaoyu/big.bin").toFile(), "rw")) {
        sparse.setLength(DOWNLOAD_BYTES);
      }
      for (RawClient c : List.of(stalled, slow)) {
        c.expect(Response.Hello.class);
        c.login("xiaoyu", "123456");
      }
      slow.socket.setSoTimeout((int) Bystander.ANSWER_WITHIN.toMillis());
      Bystander.loopStats(server.port());
      long read = 0;
      IOException slowFailed = null;
      try (Bystander bystander = Bystander.pwd(server.port())) {
        stalled.send(new Request.Get("big.bin", 0, null));
        slow.send(new Request.Get("big.bin", 0, null));
        long until = System.nanoTime() + WATCH_MILLIS * 1_000_000;
        byte[] slice = new byte[16 * 1024];
        try {
          assertEquals(DOWNLOAD_BYTES, slow.expect(Response.GetReady.class).size());
          while (System.nanoTime() < until) {
            slow.readRaw(slice);
            read += slice.length;
            Thread.sleep(5);
          }
        } catch (IOException e) {
          slowFailed = e;
        }
        Bystander.assertFair("a download never read and one read slowly (" + read / 1024 + " KiB read)",
            bystander.stop(), server.port());
      }
      assertTrue(slowFailed == null, "the slow reader was served: " + slowFailed);
      assertTrue(read > 0, "the slow reader got bytes");
    }
  }
}
