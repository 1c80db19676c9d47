package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.net.Connection;
import dev.selectftp.server.net.ConnectionLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 3 of issue 4: connection caps (overall and per address), login and idle timeouts, the cap on output
 * queued for a slow reader, and the measurement of a fresh client's latency next to 1,000 idle or trickling
 * connections from the same address.
 */
class LimitsTest {
  @TempDir Path dir;

  private static Response.Error refused(int port, String from) throws IOException {
    try (RawClient c = RawClient.connectQuiet(port, from, 0)) {
      Response r = c.next();
      Response.Error e = assertInstanceOf(Response.Error.class, r, () -> "expected a refusal, got " + r);
      assertEquals(ErrorCode.TOO_MANY_CONNECTIONS.code(), e.code());
      assertEquals(503, e.status());
      assertTrue(c.closedWithin(Duration.ofSeconds(3)), "a refused connection is closed");
      return e;
    }
  }

  @Test
  void connectionCapsPerAddressAndOverall() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withConnectionCaps(6, 3))) {
      int port = server.port();
      List<RawClient> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) held.add(RawClient.connect(port, "127.0.0.2"));
        Response.Error perAddress = refused(port, "127.0.0.2");
        assertTrue(perAddress.message().contains("127.0.0.2"), perAddress.message());
        // Another address is still welcome until the overall cap.
        for (int i = 0; i < 3; i++) held.add(RawClient.connect(port, "127.0.0.3"));
        Response.Error full = refused(port, "127.0.0.4");
        assertTrue(full.message().contains("full"), full.message());
        // The connections already in keep working.
        assertTrue(held.get(0).stillServes());
        held.get(4).login("xiaoyu", "123456");
        assertFalse(held.get(4).list().entries().isEmpty());
        // Closing one frees a place (once the server has seen the close).
        held.remove(0).close();
        RawClient again = connectWithRetry(port, "127.0.0.5", Duration.ofSeconds(5));
        held.add(again);
        again.login("xiaoyu", "123456");
        again.list();
      } finally {
        held.forEach(RawClient::close);
      }
    }
  }

  private static RawClient connectWithRetry(int port, String from, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      RawClient c = RawClient.connectQuiet(port, from, 0);
      Response first = c.next();
      if (first instanceof Response.Hello h) {
        c.hello = h;
        return c;
      }
      c.close();
      if (System.nanoTime() > deadline) throw new AssertionError("still refused: " + first);
      Thread.sleep(50);
    }
  }

  @Test
  void loginAndIdleTimeoutsCloseWithATimeoutError() throws Exception {
    ServerConfig config = ServerConfig.forTests(dir).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
    try (FtpServer server = FtpServer.start(config)) {
      int port = server.port();
      long t0 = System.nanoTime();
      RawClient silent = RawClient.connect(port);
      RawClient trickler = RawClient.connect(port);
      RawClient idle = RawClient.connect(port).login("xiaoyu", "123456");
      RawClient busy = RawClient.connect(port).login("xiaoyu", "123456");
      AtomicBoolean stop = new AtomicBoolean();
      // Slowloris before login: one byte of a frame every 200 ms, never completing it.
      Thread trickle = new Thread(() -> {
        byte[] frame = RawClient.frame(new Request.Stats());
        try {
          for (int i = 0; !stop.get() && i < frame.length - 1; i++) {
            trickler.sendBytes(new byte[] {frame[i]});
            Thread.sleep(200);
          }
        } catch (IOException | InterruptedException ignored) {
          // closed by the server: expected
        }
      });
      trickle.start();
      try {
        silent.expectError(ErrorCode.TIMEOUT);
        assertTrue(silent.closedWithin(Duration.ofSeconds(2)));
        trickler.expectError(ErrorCode.TIMEOUT);
        assertTrue(trickler.closedWithin(Duration.ofSeconds(2)));
        double loginSeconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(loginSeconds < 4, "login timeout of 1 s (1 s sweep) took " + loginSeconds);
        // The active session sends a command every 500 ms; the idle one says nothing.
        for (int i = 0; i < 7; i++) {
          busy.send(new Request.PrintDir());
          busy.expect(Response.Cwd.class);
          Thread.sleep(500);
        }
        idle.expectError(ErrorCode.TIMEOUT);
        assertTrue(idle.closedWithin(Duration.ofSeconds(2)));
        assertTrue(busy.stillServes(), "activity keeps a session alive past the idle timeout");
        System.out.printf("[limits] login timeout 1 s fired after %.1f s; idle timeout 2 s fired by %.1f s%n",
            loginSeconds, (System.nanoTime() - t0) / 1e9);
      } finally {
        stop.set(true);
        trickle.join(2_000);
        for (RawClient c : List.of(silent, trickler, idle, busy)) c.close();
      }
    }
  }

  /**
   * A client that pipelines requests but never reads its replies: once {@link ConnectionLimits#MAX_QUEUED_OUTPUT}
   * bytes of replies are queued the server stops reading from it, so the client's writes stall (TCP flow
   * control) instead of the server's heap growing, and everyone else is still served.
   */
  @Test
  void slowReaderIsBackpressuredNotBuffered() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      int port = server.port();
      RawClient slow = RawClient.connectQuiet(port, "127.0.0.6", 4096);
      slow.hello = slow.expect(Response.Hello.class);
      slow.login("xiaoyu", "123456");
      byte[] one = RawClient.frame(new Request.PrintDir());
      int perBlock = 65_536 / one.length;
      byte[] block = new byte[perBlock * one.length];
      for (int i = 0; i < perBlock; i++) System.arraycopy(one, 0, block, i * one.length, one.length);
      long totalFrames = (256L << 20) / one.length; // 256 MiB of requests, ~800 MiB of replies if buffered
      AtomicLong written = new AtomicLong();
      OutputStream out = slow.rawOut();
      Thread writer = new Thread(() -> {
        try {
          for (long sent = 0; sent < totalFrames; sent += perBlock) {
            out.write(block);
            written.addAndGet(block.length);
          }
        } catch (IOException ignored) {
          // closed at the end of the test
        }
      }, "slow-writer");
      writer.setDaemon(true);
      writer.start();
      // Wait until the writer makes no progress for a second: the server has stopped reading.
      long last = -1;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        Thread.sleep(1_000);
        long now = written.get();
        if (now == last) break;
        last = now;
      }
      long stalledAt = written.get();
      assertTrue(writer.isAlive(), "the writer must be blocked, not finished");
      assertTrue(stalledAt < totalFrames * one.length, "the server must stop reading a client that never reads");
      // Everyone else is served meanwhile.
      long t = System.nanoTime();
      Response.ServerStats stats;
      try (RawClient other = RawClient.connect(port)) {
        other.login("xiaoyu", "123456");
        other.list();
        other.send(new Request.Stats());
        stats = other.expect(Response.ServerStats.class);
      }
      double otherMs = (System.nanoTime() - t) / 1e6;
      // The replies that were queued are intact and in order.
      for (int i = 0; i < 2_000; i++) assertInstanceOf(Response.Cwd.class, slow.next());
      System.out.printf("[limits] slow reader: writes stalled after %.1f MiB of pipelined pwd requests "
              + "(%d frames; kernel buffers + server cap %d KiB); another client's login+list took %.0f ms; "
              + "server heap in use %.0f MiB%n", stalledAt / 1048576.0, stalledAt / one.length,
          ConnectionLimits.MAX_QUEUED_OUTPUT / 1024, otherMs, stats.heapUsedBytes() / 1048576.0);
      slow.close();
      writer.join(5_000);
      try (RawClient after = RawClient.connect(port)) {
        after.login("xiaoyu", "123456");
        after.list();
      }
    }
  }

  /**
   * Measurement, not a timing assertion: a fresh client's login and 1 MiB download, first alone, then next
   * to 500 idle and 500 trickling (1 byte/s) connections from the same loopback address.
   */
  @Test
  void freshClientNextToAThousandIdleAndTricklingConnections() throws Exception {
    int idleCount = Integer.getInteger("crowd.idle", 500);
    int trickleCount = Integer.getInteger("crowd.trickle", 500);
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      int port = server.port();
      byte[] mib = new byte[1 << 20];
      new Random(1).nextBytes(mib);
      try (RawClient c = RawClient.connect(port)) {
        c.login("xiaoyu", "123456");
        assertInstanceOf(Response.PutDone.class, c.upload("one-mib.bin", mib));
      }
      double[] alone = measure(port, mib, 7);

      List<RawClient> crowd = new ArrayList<>(idleCount + trickleCount);
      AtomicBoolean stop = new AtomicBoolean();
      Thread trickle = null;
      try {
        long t = System.nanoTime();
        for (int i = 0; i < idleCount + trickleCount; i++) crowd.add(RawClient.connectQuiet(port, "127.0.0.1", 0));
        double openSeconds = (System.nanoTime() - t) / 1e9;
        List<RawClient> tricklers = crowd.subList(idleCount, crowd.size());
        trickle = new Thread(() -> {
          byte[] frame = RawClient.frame(new Request.PrintDir());
          for (int i = 0; !stop.get(); i++) {
            for (RawClient c : tricklers) {
              try {
                c.sendBytes(new byte[] {frame[i % frame.length]});
              } catch (IOException ignored) {
                // counted below through the server's connection count
              }
            }
            try {
              Thread.sleep(1_000);
            } catch (InterruptedException e) {
              return;
            }
          }
        }, "trickle");
        trickle.setDaemon(true);
        trickle.start();
        int connections;
        try (RawClient probe = RawClient.connect(port)) {
          long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          do {
            probe.send(new Request.Stats());
            connections = probe.expect(Response.ServerStats.class).connections();
          } while (connections < crowd.size() + 1 && System.nanoTime() < until);
        }
        assertTrue(connections >= crowd.size() + 1, "every crowd connection is open: " + connections);
        Thread.sleep(1_100); // at least one trickle round
        double[] crowded = measure(port, mib, 7);
        System.out.printf("[limits] crowd: %d idle + %d trickling (1 byte/s) connections opened in %.2f s; "
            + "server counts %d%n", idleCount, trickleCount, openSeconds, connections);
        System.out.printf("[limits] fresh client alone:      login median %.1f ms (max %.1f), 1 MiB download "
            + "median %.1f ms (max %.1f)%n", alone[0], alone[1], alone[2], alone[3]);
        System.out.printf("[limits] fresh client with crowd: login median %.1f ms (max %.1f), 1 MiB download "
            + "median %.1f ms (max %.1f)%n", crowded[0], crowded[1], crowded[2], crowded[3]);
        // Generous functional bound only: it was served at all, well inside the 10 s read timeout.
        assertTrue(crowded[1] < 10_000 && crowded[3] < 10_000);
      } finally {
        stop.set(true);
        if (trickle != null) trickle.join(3_000);
        crowd.forEach(RawClient::close);
      }
    }
  }

  /** Returns {login median, login max, download median, download max} in milliseconds. */
  private static double[] measure(int port, byte[] expected, int runs) throws IOException {
    double[] logins = new double[runs];
    double[] downloads = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      try (RawClient c = RawClient.connect(port)) {
        c.login("xiaoyu", "123456");
        long t1 = System.nanoTime();
        byte[] got = c.download("one-mib.bin");
        long t2 = System.nanoTime();
        assertTrue(Arrays.equals(expected, got));
        logins[i] = (t1 - t0) / 1e6;
        downloads[i] = (t2 - t1) / 1e6;
      }
    }
    Arrays.sort(logins);
    Arrays.sort(downloads);
    return new double[] {logins[runs / 2], logins[runs - 1], downloads[runs / 2], downloads[runs - 1]};
  }
}
