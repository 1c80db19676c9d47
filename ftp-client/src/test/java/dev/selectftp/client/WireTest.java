package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The channel-based wire: frames and raw bytes sharing segments, the read timeout, abort from elsewhere. */
@Timeout(30)
class WireTest {
  @TempDir Path dir;

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /**
   * get-ready, the raw bytes and get-done leave in one write, then a later reply too: the frame reader's
   * leftovers must go to the file first, and the frame after the raw bytes must not be eaten by them.
   * Sizes below, at and well above the frame read buffer.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1000, 16 * 1024 - 60, 16 * 1024, 40_000, 700_001})
  void rawBytesInTheSameSegmentAsTheFramesAroundThem(int size) throws Exception {
    byte[] content = randomBytes(size);
    try (FakeServer server = FakeServer.start(peer -> {
      peer.read(Request.Get.class);
      peer.sendTogether(new Response.GetReady(200, "sending", content.length, 0, null), content,
          new Response.GetDone(200, "sent", sha256(content)), new Response.Cwd(200, "/", "/x"));
      peer.read(Request.PrintDir.class);
      peer.read(Request.PrintDir.class);
      peer.send(new Response.Cwd(200, "/", "/y"));
    }); FtpClient client = server.connect()) {
      Path target = dir.resolve("a.bin");
      GetResult result = client.get("a.bin", target, TransferListener.NONE);
      assertEquals(size, result.size());
      assertArrayEquals(content, Files.readAllBytes(target));
      assertEquals("/x", client.pwd(), "the reply that came in the same segment");
      assertEquals("/y", client.pwd());
      server.awaitScript();
    }
  }

  @Test
  void aReplyThatNeverComesTimesOutAndLosesTheConnection() throws Exception {
    CountDownLatch clientDone = new CountDownLatch(1);
    try (FakeServer server = FakeServer.start(peer -> {
      peer.read(Request.PrintDir.class);
      clientDone.await(20, TimeUnit.SECONDS);
    }); FtpClient client = server.connect(Duration.ofMillis(300))) {
      long t0 = System.nanoTime();
      IOException e = assertThrows(IOException.class, client::pwd);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      clientDone.countDown();
      assertInstanceOf(SocketTimeoutException.class, e);
      assertTrue(millis >= 300 && millis < 5000, millis + " ms");
      assertFalse(client.isOpen());
      IOException later = assertThrows(IOException.class, client::pwd);
      assertTrue(later.getMessage().startsWith("connection lost"), later.getMessage());
      server.awaitScript();
    }
  }

  @Test
  void aDownloadThatStallsTimesOutAndKeepsItsPartial() throws Exception {
    byte[] content = randomBytes(100_000);
    CountDownLatch clientDone = new CountDownLatch(1);
    try (FakeServer server = FakeServer.start(peer -> {
      peer.read(Request.Get.class);
      peer.send(new Response.GetReady(200, "sending", content.length, 0, null));
      peer.sendRaw(content, 0, 30_000);
      clientDone.await(20, TimeUnit.SECONDS);
    }); FtpClient client = server.connect(Duration.ofMillis(300))) {
      Path target = dir.resolve("a.bin");
      assertThrows(SocketTimeoutException.class, () -> client.get("a.bin", target, TransferListener.NONE));
      clientDone.countDown();
      assertEquals(30_000, Files.size(Download.partialFor(target)));
      assertFalse(client.isOpen());
      server.awaitScript();
    }
  }

  @Test
  void readsThatKeepComingDoNotTimeOutAlthoughTheWholeTransferTakesLonger() throws Exception {
    byte[] content = randomBytes(10 * 1000);
    try (FakeServer server = FakeServer.start(peer -> {
      peer.read(Request.Get.class);
      peer.send(new Response.GetReady(200, "sending", content.length, 0, null));
      for (int i = 0; i < 10; i++) {
        Thread.sleep(100);
        peer.sendRaw(content, i * 1000, 1000);
      }
      peer.send(new Response.GetDone(200, "sent", sha256(content)));
    }); FtpClient client = server.connect(Duration.ofMillis(400))) {
      Path target = dir.resolve("a.bin");
      client.get("a.bin", target, TransferListener.NONE);
      assertArrayEquals(content, Files.readAllBytes(target));
      server.awaitScript();
    }
  }

  @Test
  void theTimeoutThreadSleepsBetweenTicks() throws Exception {
    try (FakeServer server = FakeServer.start(peer -> peer.read(Request.PrintDir.class));
        FtpClient client = server.connect(Duration.ofMillis(400))) {
      Thread watchdog = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("selectftp-read-timeouts")).findFirst().orElseThrow();
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long before = threads.getThreadCpuTime(watchdog.getId());
      Thread.sleep(500);
      long usedMillis = TimeUnit.NANOSECONDS.toMillis(threads.getThreadCpuTime(watchdog.getId()) - before);
      assertTrue(usedMillis < 100, "the timeout thread used " + usedMillis + " ms of CPU in 500 ms");
      client.close();
    }
  }

  @Test
  void abortFromAnotherThreadEndsABlockedDownloadAsCancelled() throws Exception {
    byte[] content = randomBytes(100_000);
    CountDownLatch clientDone = new CountDownLatch(1);
    try (FakeServer server = FakeServer.start(peer -> {
      peer.read(Request.Get.class);
      peer.send(new Response.GetReady(200, "sending", content.length, 0, null));
      peer.sendRaw(content, 0, 10_000);
      clientDone.await(20, TimeUnit.SECONDS);
    }); FtpClient client = server.connect(Duration.ofSeconds(20))) {
      Path target = dir.resolve("a.bin");
      Thread aborter = new Thread(() -> {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        }
        client.abort();
      });
      aborter.start();
      long t0 = System.nanoTime();
      assertThrows(TransferCancelledException.class, () -> client.get("a.bin", target, TransferListener.NONE));
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5000);
      clientDone.countDown();
      aborter.join();
      assertTrue(client.aborted());
      assertEquals(10_000, Files.size(Download.partialFor(target)));
      server.awaitScript();
    }
  }
}
