package dev.selectftp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.PutResult;
import dev.selectftp.client.TransferListener;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: idle sessions are told, transfers in flight may finish, the rest resume later. */
class ShutdownTest {
  private static final int SIZE = 2 * 1024 * 1024;
  /** Half the 10 s grace used here: far above any loop pass, far below a shutdown that waits out the grace. */
  private static final Duration STARTED_WITHIN = Duration.ofSeconds(5);

  @TempDir Path local;
  @RegisterExtension final LiveServer server = new LiveServer();

  @Test
  void idleSessionIsToldTheServerIsShuttingDown() throws Exception {
    try (RawSession idle = RawSession.login(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD)) {
      server.shutdown(Duration.ofSeconds(5));
      Response.Error error = assertInstanceOf(Response.Error.class, idle.read());
      assertEquals(ErrorCode.SHUTTING_DOWN.code(), error.code());
    }
  }

  /**
   * Shutdown has visibly started (an idle bystander is told within {@link #STARTED_WITHIN}) while the upload
   * is only half sent; it does not return before that upload is stored, and returns soon after, long
   * before the grace runs out. A shutdown that did nothing until the grace ran out, or returned without
   * waiting, fails here.
   */
  @Test
  void uploadInFlightFinishesWithinTheGraceAndIsStored() throws Exception {
    byte[] content = TestFiles.randomBytes(7, SIZE);
    try (RawSession uploader = RawSession.login(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD);
        RawSession idle = RawSession.login(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD)) {
      uploader.startUploadAndSend("landed.bin", content, SIZE / 2);
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.shutdown(Duration.ofSeconds(10)));
      long asked = System.nanoTime();
      Response.Error told = assertInstanceOf(Response.Error.class, idle.read(), "the idle session is told");
      assertEquals(ErrorCode.SHUTTING_DOWN.code(), told.code());
      assertTrue(Duration.ofNanos(System.nanoTime() - asked).compareTo(STARTED_WITHIN) < 0,
          "shutdown started at once, not when the grace ran out");
      assertFalse(stopping.isDone(), "shutdown has started and waits for the transfer in flight");
      uploader.writeRaw(content, SIZE / 2, SIZE - SIZE / 2);
      uploader.send(new Request.PutCommit(TestFiles.sha256(content)));
      assertInstanceOf(Response.PutDone.class, uploader.read());
      stopping.get(STARTED_WITHIN.toMillis(), TimeUnit.MILLISECONDS); // returns once drained, not at the grace
    }
    assertArrayEquals(content, Files.readAllBytes(server.home(LiveServer.DEMO_USER).resolve("landed.bin")));
  }

  @Test
  void uploadStillRunningAtTheDeadlineStaysResumableAfterRestart() throws Exception {
    byte[] content = TestFiles.writeRandom(local.resolve("slow.bin"), 11, SIZE);
    try (RawSession uploader = RawSession.login(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD)) {
      uploader.startUploadAndSend("slow.bin", content, SIZE / 4);
      Path partial = TestFiles.partialOf(server.home(LiveServer.DEMO_USER).resolve("slow.bin"));
      TestFiles.await("the first quarter on disk", LiveServer.TIMEOUT, () -> TestFiles.sizeOrMissing(partial) == SIZE / 4);
      server.shutdown(Duration.ofMillis(300));
    }
    Path stored = server.home(LiveServer.DEMO_USER).resolve("slow.bin");
    assertFalse(Files.exists(stored), "nothing under the real name");

    server.restart();
    try (FtpClient client = server.loginDemo()) {
      PutResult put = client.put(local.resolve("slow.bin"), "slow.bin", TransferListener.NONE);
      assertEquals(SIZE / 4, put.resumedFrom());
      assertTrue(put.sha256().equals(TestFiles.sha256(content)));
    }
    assertArrayEquals(content, Files.readAllBytes(stored));
  }
}
