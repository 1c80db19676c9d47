package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's promises about the running server, checked on a server in its own JVM started the way a user
 * starts it (its own {@code logback.xml}, command-line options) and watched from outside: files in its
 * folders, its exit status after SIGTERM, what a client sees.
 */
class InstalledServerTest {
  /** README: "gives transfers in flight 10 seconds to finish ... and exits 0". */
  private static final Duration GRACE = Duration.ofSeconds(10);
  /** The sweep's period for the test, in seconds (an hour in production). */
  private static final String SWEEP_EVERY_SECOND = "-Dselectftp.partialSweepSeconds=1";
  private static final Duration MAX_AGE = Duration.ofSeconds(2);

  @TempDir Path dir;

  /**
   * A partial left by a cut upload after the server started is kept while it is younger than
   * {@code --partial-max-age} and deleted by a later sweep once it is older, not only by the one at start;
   * the quota lets go of its bytes.
   */
  @Test
  void aPartialLeftAfterStartIsDeletedOnceOlderThanTheMaxAge() throws Exception {
    Path data = dir.resolve("data");
    try (ServerProcess server = ServerProcess.startInstalled(data, dir.resolve("logs"), List.of(SWEEP_EVERY_SECOND),
        List.of("--partial-max-age", MAX_AGE.toSeconds() + "s"))) {
      Path partial = data.resolve("home/xiaoyu/.cut.bin.selectftp-part");
      long cutAt;
      try (RawClient c = RawClient.connect(server.port).login("xiaoyu", "123456")) {
        c.send(new Request.Put("cut.bin", 100_000));
        c.expect(Response.PutReady.class);
        c.send(new Request.PutData(0, 100_000));
        c.sendBytes(new byte[40_000]);
        OnDisk.awaitSize(partial, 40_000);
        cutAt = System.nanoTime();
      }
      try (RawClient c = RawClient.connect(server.port).login("xiaoyu", "123456")) {
        long usedWithPartial = used(c);
        Thread.sleep(MAX_AGE.toMillis() / 2);
        assertTrue(Files.exists(partial), "a partial younger than --partial-max-age is kept");
        long deadline = cutAt + MAX_AGE.plusSeconds(5).toNanos(); // the age, two sweeps, and slack for the machine
        while (Files.exists(partial) && System.nanoTime() < deadline) Thread.sleep(50);
        double after = (System.nanoTime() - cutAt) / 1e9;
        System.out.printf("[sweep] partial written %.1f s before it was gone (max age %d s, sweep every 1 s)%n",
            after, MAX_AGE.toSeconds());
        assertFalse(Files.exists(partial), "a partial older than --partial-max-age is deleted by a later sweep");
        long used = usedWithPartial;
        while (used == usedWithPartial && System.nanoTime() < deadline + 2_000_000_000L) {
          Thread.sleep(20);
          used = used(c);
        }
        assertEquals(usedWithPartial - 40_000, used, "the quota no longer counts the deleted partial");
      }
    }
  }

  /**
   * SIGTERM with an upload half sent: idle sessions are told at once, the upload may finish within the
   * grace and is stored, and the process exits 0 soon after (not when the grace runs out). Then README's
   * log files: {@code --log-dir} holds {@code server.log} with the login and {@code transfer.log} with one
   * JSON line for that upload (written while the server was stopping).
   */
  @Test
  void sigtermLetsTheUploadInFlightLandThenExitsZeroWithItsLogsWritten() throws Exception {
    Path data = dir.resolve("data");
    Path logs = dir.resolve("logs");
    byte[] content = OnDisk.random(1 << 20, 3);
    try (ServerProcess server = ServerProcess.startInstalled(data, logs, List.of(), List.of());
        RawClient uploader = RawClient.connect(server.port).login("xiaoyu", "123456");
        RawClient idle = RawClient.connect(server.port).login("xiaoyu", "123456")) {
      uploader.send(new Request.Put("landed.bin", content.length));
      uploader.expect(Response.PutReady.class);
      uploader.send(new Request.PutData(0, content.length));
      uploader.sendBytes(Arrays.copyOf(content, content.length / 2));
      long sent = System.nanoTime();
      server.terminate();
      idle.expectError(ErrorCode.SHUTTING_DOWN);
      try {
        uploader.sendBytes(Arrays.copyOfRange(content, content.length / 2, content.length));
        uploader.send(new Request.PutCommit(RawClient.sha256(content)));
        assertInstanceOf(Response.PutDone.class, uploader.next(), "the upload in flight is stored");
      } catch (IOException cut) {
        fail("SIGTERM cut the upload in flight instead of giving it the grace: " + cut);
      }
      assertTrue(server.process.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS), "the server exits within the grace");
      double seconds = (System.nanoTime() - sent) / 1e9;
      System.out.printf("[sigterm] exited %d, %.1f s after SIGTERM (grace %d s)%n", server.process.exitValue(),
          seconds, GRACE.toSeconds());
      assertEquals(0, server.process.exitValue(), "SIGTERM is a clean stop: " + Files.readString(server.output));
      assertTrue(seconds < GRACE.toSeconds() / 2.0, "exits once drained, not at the end of the grace: " + seconds);
      assertEquals(RawClient.sha256(content),
          RawClient.sha256(Files.readAllBytes(data.resolve("home/xiaoyu/landed.bin"))));
    }
    assertLogsRecord(logs, "/landed.bin", 1 << 20);
  }

  /** {@code server.log} has the demo user's login; {@code transfer.log} is one verified upload of {@code path}. */
  private static void assertLogsRecord(Path logs, String path, long bytes) throws IOException {
    Path serverLog = logs.resolve("server.log");
    Path transferLog = logs.resolve("transfer.log");
    assertTrue(Files.isRegularFile(serverLog), "server.log in --log-dir");
    assertTrue(Files.isRegularFile(transferLog), "transfer.log in --log-dir");
    String server = Files.readString(serverLog);
    assertTrue(server.contains("xiaoyu logged in over"), "server.log records the login: " + server);
    List<String> transfers = Files.readAllLines(transferLog);
    assertEquals(1, transfers.size(), "one line per transfer: " + transfers);
    String line = transfers.get(0);
    assertTrue(line.startsWith("{") && line.endsWith("}"), "a JSON object per line: " + line);
    assertTrue(line.contains("\"direction\":\"upload\"") && line.contains("\"path\":\"" + path + "\"")
        && line.contains("\"bytes\":" + bytes) && line.contains("\"verified\":true"), line);
  }

  private static long used(RawClient c) throws IOException {
    c.send(new Request.QuotaQuery());
    return c.expect(Response.QuotaInfo.class).used();
  }
}
