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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: idle sessions are told, transfers in flight may finish, the rest resume later. */
class ShutdownTest {
  private static final int SIZE = 2 * 1024 * 1024;

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

  @Test
  void uploadInFlightFinishesWithinTheGraceAndIsStored() throws Exception {
    byte[] content = TestFiles.randomBytes(7, SIZE);
    try (RawSession uploader = RawSession.login(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD)) {
      uploader.startUploadAndSend("landed.bin", content, SIZE / 2);
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.shutdown(Duration.ofSeconds(10)));
      Thread.sleep(200); // the server is draining while the second half is still to come
      assertFalse(stopping.isDone(), "shutdown waits for the transfer in flight");
      uploader.writeRaw(content, SIZE / 2, SIZE - SIZE / 2);
      uploader.send(new Request.PutCommit(TestFiles.sha256(content)));
      assertInstanceOf(Response.PutDone.class, uploader.read());
      stopping.get();
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
