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
import dev.selectftp.server.FtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: idle sessions are told, transfers in flight may finish, the rest resume later. */
class ShutdownTest {
  private static final int SIZE = 2 * 1024 * 1024;

  @TempDir Path data;
  @TempDir Path local;

  @Test
  void idleSessionIsToldTheServerIsShuttingDown() throws Exception {
    FtpServer server = Servers.start(data);
    try (RawSession idle = RawSession.login(server, Servers.DEMO_USER, Servers.DEMO_PASSWORD)) {
      server.shutdown(Duration.ofSeconds(5));
      Response.Error error = assertInstanceOf(Response.Error.class, idle.read());
      assertEquals(ErrorCode.SHUTTING_DOWN.code(), error.code());
    }
  }

  @Test
  void uploadInFlightFinishesWithinTheGraceAndIsStored() throws Exception {
    FtpServer server = Servers.start(data);
    byte[] content = Servers.randomBytes(7, SIZE);
    try (RawSession uploader = RawSession.login(server, Servers.DEMO_USER, Servers.DEMO_PASSWORD)) {
      uploader.startUploadAndSend("landed.bin", content, SIZE / 2);
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.shutdown(Duration.ofSeconds(10)));
      Thread.sleep(200); // the server is draining while the second half is still to come
      assertFalse(stopping.isDone(), "shutdown waits for the transfer in flight");
      uploader.writeRaw(content, SIZE / 2, SIZE - SIZE / 2);
      uploader.send(new Request.PutCommit(Servers.sha256(content)));
      assertInstanceOf(Response.PutDone.class, uploader.read());
      stopping.get();
    }
    assertArrayEquals(content, Files.readAllBytes(Servers.home(server, Servers.DEMO_USER).resolve("landed.bin")));
  }

  @Test
  void uploadStillRunningAtTheDeadlineStaysResumableAfterRestart() throws Exception {
    FtpServer server = Servers.start(data);
    byte[] content = Servers.writeRandom(local.resolve("slow.bin"), 11, SIZE);
    try (RawSession uploader = RawSession.login(server, Servers.DEMO_USER, Servers.DEMO_PASSWORD)) {
      uploader.startUploadAndSend("slow.bin", content, SIZE / 4);
      Path partial = Servers.partialOf(Servers.home(server, Servers.DEMO_USER).resolve("slow.bin"));
      Servers.await("the first quarter on disk", Servers.TIMEOUT, () -> Servers.sizeOrMissing(partial) == SIZE / 4);
      server.shutdown(Duration.ofMillis(300));
    }
    Path stored = Servers.home(server, Servers.DEMO_USER).resolve("slow.bin");
    assertFalse(Files.exists(stored), "nothing under the real name");

    FtpServer restarted = Servers.start(data);
    try (FtpClient client = Servers.loginDemo(restarted)) {
      PutResult put = client.put(local.resolve("slow.bin"), "slow.bin", TransferListener.NONE);
      assertEquals(SIZE / 4, put.resumedFrom());
      assertTrue(put.sha256().equals(Servers.sha256(content)));
    } finally {
      restarted.close();
    }
    assertArrayEquals(content, Files.readAllBytes(stored));
  }
}
