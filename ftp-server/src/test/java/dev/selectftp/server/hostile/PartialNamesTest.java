package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 9, classes 6 and 8: two names that shared one hidden partial under the former naming, replayed
 * against a live server; and paths too long to leave room for a partial, which answered {@code internal}
 * with a stack trace in the log per request.
 */
class PartialNamesTest {
  private static final int HALF = 32 * 1024;
  @TempDir Path dir;

  /** Under the former naming, "." + this + ".selectftp-part" was also the partial of the long name. */
  private static String formerlySharingName(String longName) throws Exception {
    String hash = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(longName.getBytes(StandardCharsets.UTF_8)));
    return longName.substring(0, 206) + "~" + hash.substring(0, 32);
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (seed + i * 7);
    return b;
  }

  @Test
  void aFileConfirmedWithPutDoneIsNotRewrittenByAnUploadOfTheLookAlikeLongName() throws Exception {
    String longName = "b".repeat(250);
    String crafted = formerlySharingName(longName);
    byte[] longContent = bytes(2 * HALF, 1);
    byte[] craftedContent = bytes(2 * HALF, 101);
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient slow = RawClient.connect(server.port()).login("xiaoyu", "123456");
        RawClient fast = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      // The slow session writes half of the long name's upload into its partial, then stalls.
      slow.send(new Request.Put(longName, longContent.length));
      assertEquals(0, slow.expect(Response.PutReady.class).offset());
      slow.send(new Request.PutData(0, longContent.length));
      slow.sendBytes(java.util.Arrays.copyOf(longContent, HALF));
      awaitPartialHolding(dir.resolve("home/xiaoyu"), HALF);
      // Meanwhile the crafted short name is uploaded whole and confirmed.
      Response done = fast.upload(crafted, craftedContent);
      assertInstanceOf(Response.PutDone.class, done, () -> "upload of the crafted name: " + done);
      // The slow session finishes: its bytes must land in its own partial, not in the confirmed file.
      slow.sendBytes(java.util.Arrays.copyOfRange(longContent, HALF, longContent.length));
      slow.send(new Request.PutCommit(RawClient.sha256(longContent)));
      Response second = slow.next();
      assertArrayEquals(craftedContent, fast.download(crafted), "the confirmed file was rewritten");
      assertInstanceOf(Response.PutDone.class, second, () -> "upload of the long name: " + second);
      assertArrayEquals(longContent, fast.download(longName));
    }
  }

  private static void awaitPartialHolding(Path home, long bytes) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> all = Files.list(home)) {
        if (all.anyMatch(p -> p.getFileName().toString().endsWith(".selectftp-part") && sizeOf(p) >= bytes)) return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the partial never reached " + bytes + " bytes");
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static void mkdir(RawClient c, CharSequence path) throws java.io.IOException {
    c.send(new Request.MakeDir(path.toString()));
    c.expect(Response.Ok.class);
  }

  /** Keeps every event at WARN or above, from any thread; thread-safe, unlike ListAppender. */
  static final class Collector extends ch.qos.logback.core.AppenderBase<ILoggingEvent> {
    final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.WARN)) events.add(event);
    }
  }

  @Test
  void aPathWithNoRoomForItsPartialIsRefusedCleanlyAndTheLongestAcceptedOneUploads() throws Exception {
    Collector log = new Collector();
    log.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(log);
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      int rootBytes = dir.toRealPath().resolve("home/xiaoyu").toString().length();
      // Folders deep enough that exactly 100 bytes are left for the last name under the OS limit.
      StringBuilder path = new StringBuilder();
      while (4095 - rootBytes - path.length() - 1 - 251 >= 100) mkdir(c, path.append('/').append("d".repeat(250)));
      int last = 4095 - rootBytes - path.length() - 1 - 100 - 1;
      if (last >= 1) mkdir(c, path.append('/').append("e".repeat(last)));
      int free = 4095 - rootBytes - path.length() - 1; // bytes left for the last name
      assertEquals(100, free);
      // Fits the OS, but its partial (16 bytes longer) would not: refused up front, in one line each.
      String tooLong = path + "/" + "x".repeat(free - 5);
      for (int i = 0; i < 3; i++) {
        c.send(new Request.Put(tooLong, 10));
        Response.Error e = c.expectError(ErrorCode.BAD_PATH);
        assertTrue(e.message().contains("too long"), e.message());
      }
      // The longest path accepted still gets its partial, so it uploads.
      String longest = path + "/" + "y".repeat(free - 16);
      assertInstanceOf(Response.PutDone.class, c.upload(longest, bytes(100, 3)));
      assertArrayEquals(bytes(100, 3), c.download(longest));
      assertTrue(c.stillServes());
    } finally {
      root.detachAppender(log);
    }
    List<ILoggingEvent> traced = log.events.stream().filter(e -> e.getThrowableProxy() != null).toList();
    assertTrue(traced.isEmpty(), () -> "stack traces logged: " + traced);
    assertTrue(log.events.stream().noneMatch(e -> e.getLevel() == Level.ERROR), () -> "errors: " + log.events);
  }
}
