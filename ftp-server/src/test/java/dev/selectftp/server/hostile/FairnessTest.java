package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Frames;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.net.Connection;
import dev.selectftp.server.net.ConnectionLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, classes 1-3 scaled down for CI: while one attack runs, a bystander's connect+login+list stays
 * fast, the loop's longest pass stays short, and the heap the server holds per attacking connection stays
 * under the bound the constants promise. Full-scale figures come from bench/hostile.sh.
 */
class FairnessTest {
  /**
   * Bounds for a shared 2-core CI machine, where the loop thread may wait tens of milliseconds for a core
   * (pass times are wall-clock): the median bystander visit, its slowest one, and the longest loop pass.
   * The full-scale targets (50 ms, 20 ms) are measured by the benchmark, not here. Before the fix
   * these attacks gave bystanders 4-8 s and passes of 0.2-2.3 s at this scale.
   */
  private static final double BYSTANDER_MEDIAN_MAX_MILLIS = 500;
  private static final double BYSTANDER_MAX_MILLIS = 2_000;
  private static final long LONGEST_PASS_MAX_MICROS = 250_000;
  /**
   * What a logged-in connection may hold for its peer: queued replies (the cap plus the reply that crossed
   * it) and either kept input or a partial frame (kept input only exists at a frame boundary).
   */
  static final long LOGGED_IN_BOUND = ConnectionLimits.MAX_QUEUED_OUTPUT + Frames.HEADER_BYTES + Frames.MAX_FRAME_BYTES
      + Math.max(ConnectionLimits.FRAME_READ_BYTES, Frames.MAX_FRAME_BYTES);
  /** The same before login, where replies are small (a challenge or an error, under 1 KiB). */
  static final long BEFORE_LOGIN_BOUND = ConnectionLimits.MAX_QUEUED_OUTPUT_BEFORE_LOGIN + 1024
      + Frames.HEADER_BYTES + Frames.MAX_FRAME_BYTES_BEFORE_LOGIN;

  @TempDir Path dir;

  private static void report(String attack, double[] bystander, Response.ServerStats stats) {
    System.out.printf("[fairness] %s: bystander connect+login+list median %.1f ms, max %.1f ms; longest loop "
        + "pass %.1f ms (p99 %.2f ms over %d passes)%n", attack, bystander[0], bystander[1],
        stats.maxPassMicros() / 1e3, stats.p99PassMicros() / 1e3, stats.loopPasses());
  }

  private static void assertFair(double[] bystander, Response.ServerStats stats) {
    assertTrue(bystander[0] < BYSTANDER_MEDIAN_MAX_MILLIS, "bystander's median visit took " + bystander[0] + " ms");
    assertTrue(bystander[1] < BYSTANDER_MAX_MILLIS, "bystander's slowest visit took " + bystander[1] + " ms");
    assertTrue(stats.maxPassMicros() < LONGEST_PASS_MAX_MICROS, "a loop pass took " + stats.maxPassMicros() + " us");
  }

  /** One logged-in client pipelines pwd, quota and a small listing as fast as it can read the answers. */
  @Test
  void onePipeliningClientDoesNotHoldTheLoop() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      int port = server.port();
      RawClient attacker = RawClient.connect(port).login("xiaoyu", "123456");
      byte[] block = Attackers.repeated(Attackers.concat(RawClient.frame(new Request.PrintDir()),
          RawClient.frame(new Request.QuotaQuery()), RawClient.frame(new Request.List(null))), 2_000);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong answered = new AtomicLong();
      Thread writer = daemon(() -> {
        while (!stop.get()) attacker.rawOut().write(block);
      });
      Thread reader = daemon(() -> {
        while (!stop.get()) {
          attacker.next();
          answered.incrementAndGet();
        }
      });
      try {
        Thread.sleep(500);
        Attackers.stats(port); // resets the figures: what follows is under attack
        double[] bystander = Attackers.bystanderMillis(port, 5);
        Thread.sleep(500);
        Response.ServerStats stats = Attackers.stats(port);
        report("one client pipelining pwd/quota/list (" + answered.get() + " answers so far)", bystander, stats);
        assertTrue(answered.get() > 1_000, "the attacker is served too: " + answered.get());
        assertFair(bystander, stats);
      } finally {
        stop.set(true);
        attacker.close();
        writer.join(2_000);
        reader.join(2_000);
      }
    }
  }

  /** 32 logged-in clients stream tiny junk frames (each one an error reply) and read the errors. */
  @Test
  void thirtyTwoJunkStreamsDoNotHoldTheLoop() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      int port = server.port();
      byte[] block = Attackers.repeated(RawClient.frame("x"), 4_000);
      AtomicBoolean stop = new AtomicBoolean();
      List<RawClient> attackers = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      try {
        for (int i = 0; i < 32; i++) {
          RawClient c = RawClient.connect(port, "127.0.1." + (1 + i % 4)).login("xiaoyu", "123456");
          attackers.add(c);
          threads.add(daemon(() -> {
            while (!stop.get()) c.rawOut().write(block);
          }));
          threads.add(daemon(() -> {
            while (!stop.get()) c.next();
          }));
        }
        Thread.sleep(500);
        Attackers.stats(port);
        double[] bystander = Attackers.bystanderMillis(port, 5);
        Thread.sleep(500);
        Response.ServerStats stats = Attackers.stats(port);
        report("32 clients streaming junk frames", bystander, stats);
        assertFair(bystander, stats);
      } finally {
        stop.set(true);
        attackers.forEach(RawClient::close);
        for (Thread t : threads) t.join(2_000);
      }
    }
  }

  /**
   * 100 clients pipeline and never read: junk before login (closed by the third error), valid auth-starts
   * before login (stopped by the 4 KiB output cap), and pwd after login (stopped by the 64 KiB cap). The
   * server holds no more than the per-connection bound for any of them.
   */
  @Test
  void clientsThatNeverReadHoldBoundedMemory() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      int port = server.port();
      byte[] junk = Attackers.repeated(RawClient.frame("x"), 2_000);
      byte[] authStarts = Attackers.repeated(RawClient.frame(new Request.AuthStart("n,,n=xiaoyu,r=abcdefgh")), 500);
      byte[] pwds = Attackers.repeated(RawClient.frame(new Request.PrintDir()), 2_000);
      List<SocketChannel> anonymous = new ArrayList<>();
      List<RawClient> loggedIn = new ArrayList<>();
      try {
        anonymous.addAll(Attackers.openAndSend(port, 30, new byte[0]));
        List<SocketChannel> starters = Attackers.openAndSend(port, 30, new byte[0]);
        anonymous.addAll(starters);
        for (int i = 0; i < 40; i++) {
          RawClient c = RawClient.connectQuiet(port, "127.0.2." + (1 + i % 4), 4096);
          c.hello = c.expect(Response.Hello.class);
          loggedIn.add(c.login("xiaoyu", "123456"));
        }
        // Before login first: junk and auth-starts until the server stops reading them all.
        Thread junkWriter = daemon(() -> Attackers.writeUntilStalled(anonymous.subList(0, 30), junk, 1_000, 8_000));
        Attackers.writeUntilStalled(starters, authStarts, 1_000, 8_000);
        junkWriter.join(10_000);
        long anonymousHeld = server.connectionBufferedBytes();
        long pipelined = Attackers.pipelineWithoutReading(loggedIn, pwds, 1_000, 8_000);
        long held = server.connectionBufferedBytes();
        // Now every attacker is held at its cap: the bystander and the loop must not notice them. (While the
        // kernel's socket buffers fill, megabytes of pwd are answered: CPU work, measured by the test above.)
        Attackers.stats(port);
        double[] bystander = Attackers.bystanderMillis(port, 5);
        Response.ServerStats stats = Attackers.stats(port);
        System.out.printf("[fairness] 100 never-reading clients: server holds %d KiB for 60 anonymous ones (bound "
            + "%d KiB each), then %d KiB with 40 logged in (%.1f MiB of pwd pipelined; bound %d KiB each); heap in "
            + "use %.0f MiB%n", anonymousHeld / 1024, BEFORE_LOGIN_BOUND / 1024, held / 1024,
            pipelined / 1048576.0, LOGGED_IN_BOUND / 1024, stats.heapUsedBytes() / 1048576.0);
        report("100 clients never reading", bystander, stats);
        assertTrue(anonymousHeld <= 60 * BEFORE_LOGIN_BOUND, "held " + anonymousHeld + " bytes for 60 anonymous");
        assertTrue(held <= 40 * LOGGED_IN_BOUND + 60 * BEFORE_LOGIN_BOUND,
            "held " + held + " bytes for 100 connections");
        assertFair(bystander, stats);
      } finally {
        Attackers.closeAll(anonymous);
        loggedIn.forEach(RawClient::close);
      }
    }
  }

  /**
   * 500 connections announce a frame and send one byte of it: before login at the 4 KiB cap of that state
   * and over it (64 KiB), and after login at the 64 KiB cap. A half-sent frame costs the bytes that came.
   */
  @Test
  void slowFramesCostOnlyTheBytesThatArrived() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      int port = server.port();
      byte[] overCap = ByteBuffer.allocate(5).putInt(Frames.MAX_FRAME_BYTES).put((byte) '{').array();
      byte[] atCap = ByteBuffer.allocate(5).putInt(Frames.MAX_FRAME_BYTES_BEFORE_LOGIN).put((byte) '{').array();
      List<SocketChannel> slow = new ArrayList<>();
      List<RawClient> loggedIn = new ArrayList<>();
      try {
        slow.addAll(Attackers.openAndSend(port, 240, overCap));
        slow.addAll(Attackers.openAndSend(port, 240, atCap));
        for (int i = 0; i < 20; i++) {
          RawClient c = RawClient.connect(port, "127.0.3." + (1 + i % 4)).login("xiaoyu", "123456");
          c.sendBytes(overCap);
          loggedIn.add(c);
        }
        Thread.sleep(500);
        long held = server.connectionBufferedBytes();
        Attackers.stats(port); // the figures from here on: with the slow frames held (the connect storm is over)
        double[] bystander = Attackers.bystanderMillis(port, 5);
        Response.ServerStats stats = Attackers.stats(port);
        System.out.printf("[fairness] 500 slow frames (240 over the login cap, 240 at it, 20 logged in at 64 KiB): "
            + "server holds %d bytes for them; %d connections open%n", held, stats.connections());
        report("500 slow frames", bystander, stats);
        assertTrue(held < 500 * 64, "held " + held + " bytes for 500 one-byte frames");
        assertFair(bystander, stats);
        try (RawClient probe = RawClient.connect(port)) {
          probe.sendBytes(overCap);
          assertEquals(ErrorCode.FRAME_TOO_LARGE.code(), probe.expectError(ErrorCode.FRAME_TOO_LARGE).code());
        }
      } finally {
        Attackers.closeAll(slow);
        loggedIn.forEach(RawClient::close);
      }
    }
  }

  /** Slowloris after login: bytes keep coming, but a frame started must be complete within the frame timeout. */
  @Test
  void aFrameThatNeverCompletesTimesOutEvenWhileBytesTrickle() throws Exception {
    Duration idle = Duration.ofSeconds(2); // the frame timeout is the shorter of 10 s and the idle timeout
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withTimeouts(Duration.ofSeconds(30), idle))) {
      try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
        c.sendBytes(ByteBuffer.allocate(4).putInt(1_000).array());
        long t = System.nanoTime();
        AtomicBoolean stop = new AtomicBoolean();
        Thread trickle = daemon(() -> {
          while (!stop.get()) {
            c.sendBytes(new byte[] {' '});
            Thread.sleep(200);
          }
        });
        try {
          c.expectError(ErrorCode.TIMEOUT);
          assertTrue(c.closedWithin(Duration.ofSeconds(3)), "the slow frame's connection closes");
          double seconds = (System.nanoTime() - t) / 1e9;
          System.out.printf("[fairness] a trickled frame timed out after %.1f s (idle timeout %d s)%n", seconds,
              idle.toSeconds());
          assertTrue(seconds < 5, "timed out after " + seconds + " s");
        } finally {
          stop.set(true);
          trickle.join(2_000);
        }
      }
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private static Thread daemon(Body body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Exception | AssertionError ended) {
        // the test closed the socket, or the server did
      }
    }, "attacker");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
