package dev.selectftp.it;

import static dev.selectftp.testing.TestFiles.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.GetResult;
import dev.selectftp.client.PutResult;
import dev.selectftp.client.TransferListener;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Many clients at once on the one loop thread: every byte still lands where it belongs. */
class ConcurrencyTest {
  private static final int CLIENTS = 20;
  private static final int REGISTERED = 10;
  private static final char[] PASSWORD = "concurrent".toCharArray();

  @TempDir Path work;
  @RegisterExtension final LiveServer server = new LiveServer();

  private record Outcome(String user, String name, byte[] bytes) {}

  @Test
  @Timeout(120)
  void twentyClientsUploadingAndDownloadingAtOnceAllGetTheirOwnBytesBack() throws Exception {
    for (int i = 0; i < REGISTERED; i++) {
      try (FtpClient client = server.connect()) {
        client.register("user" + i, PASSWORD);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    CountDownLatch ready = new CountDownLatch(CLIENTS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Outcome>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        int id = i;
        futures.add(pool.submit(() -> {
          String user = id < REGISTERED ? "user" + id : LiveServer.DEMO_USER;
          char[] password = id < REGISTERED ? PASSWORD : LiveServer.DEMO_PASSWORD;
          String name = "file-" + id + ".bin";
          Path up = work.resolve("up-" + id).resolve(name);
          int size = 1024 * 1024 + (int) (new java.util.Random(id).nextInt(1024 * 1024));
          byte[] bytes = TestFiles.writeRandom(up, 500 + id, size);
          Path down = Files.createDirectories(work.resolve("down-" + id)).resolve(name);
          try (FtpClient client = server.login(user, password)) {
            ready.countDown();
            go.await();
            PutResult put = client.put(up, name, TransferListener.NONE);
            assertEquals(sha256(bytes), put.sha256(), name);
            GetResult get = client.get(name, down, TransferListener.NONE);
            assertEquals(sha256(bytes), get.sha256(), name);
            // Also fetch a file another client may be writing next to ours.
            if (user.equals(LiveServer.DEMO_USER)) {
              Path sample = work.resolve("down-" + id).resolve("sample.bin");
              client.get("sample.bin", sample, TransferListener.NONE);
              assertEquals(64 * 1024, Files.size(sample));
            }
            client.quit();
          }
          assertArrayEquals(bytes, Files.readAllBytes(down), "downloaded " + name + " of " + user);
          return new Outcome(user, name, bytes);
        }));
      }
      ready.await(30, TimeUnit.SECONDS);
      go.countDown();
      for (Future<Outcome> future : futures) {
        Outcome outcome = future.get(90, TimeUnit.SECONDS);
        Path stored = server.home(outcome.user()).resolve(outcome.name());
        assertArrayEquals(outcome.bytes(), Files.readAllBytes(stored),
            "server copy of " + outcome.name() + " of " + outcome.user());
        assertEquals(-1, TestFiles.sizeOrMissing(TestFiles.partialOf(stored)), "no partial left over");
      }
    } finally {
      pool.shutdownNow();
    }
    try (FtpClient client = server.loginDemo()) {
      long uploaded = client.list("/").stream().filter(e -> e.name().startsWith("file-")).count();
      assertEquals(CLIENTS - REGISTERED, uploaded, "every demo-user upload is listed once");
    }
  }
}
