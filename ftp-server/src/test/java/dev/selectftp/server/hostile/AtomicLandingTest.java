package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "every transfer ... lands atomically", watched on the disk as a local user of the machine would:
 * the hidden partial becomes the file by one rename, so the file is the very inode the bytes were written
 * to, and nobody looking at the name ever finds it incomplete. A copy followed by a delete would give the
 * file a new inode and show the name growing while the copy runs.
 */
class AtomicLandingTest {
  private static final int SIZE = 8 * 1024 * 1024;
  private static final int UPLOADS = 3;

  @TempDir Path dir;

  @Test
  void theStoredFileIsThePartialRenamedNotACopy() throws Exception {
    byte[] content = OnDisk.random(SIZE, 1);
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      Path target = dir.resolve("home/xiaoyu/landed.bin");
      Path partial = target.resolveSibling(".landed.bin.selectftp-part");
      sendAllButCommit(c, "landed.bin", content);
      OnDisk.awaitSize(partial, SIZE);
      Object partialInode = inode(partial);
      assertFalse(Files.exists(target), "nothing has the name before the commit");
      c.send(new Request.PutCommit(RawClient.sha256(content)));
      c.expect(Response.PutDone.class);
      assertEquals(partialInode, inode(target), "the file is the partial's inode: renamed, not copied");
      assertFalse(Files.exists(partial), "the partial is gone");
      assertEquals(RawClient.sha256(content), RawClient.sha256(Files.readAllBytes(target)));
    }
  }

  @Test
  void aReaderWatchingTheNameNeverSeesItIncomplete() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      Path target = dir.resolve("home/xiaoyu/watched.bin");
      AtomicBoolean watching = new AtomicBoolean(true);
      AtomicLong looks = new AtomicLong();
      ConcurrentSkipListSet<Long> sizesSeen = new ConcurrentSkipListSet<>();
      Thread watcher = new Thread(() -> {
        while (watching.get()) {
          try {
            sizesSeen.add(Files.size(target));
          } catch (NoSuchFileException notYet) {
            // not published (yet, or between uploads)
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          looks.incrementAndGet();
        }
      }, "watcher");
      watcher.start();
      try {
        for (int i = 0; i < UPLOADS; i++) {
          byte[] content = OnDisk.random(SIZE, 10 + i);
          Files.deleteIfExists(target);
          sendAllButCommit(c, "watched.bin", content);
          OnDisk.awaitSize(target.resolveSibling(".watched.bin.selectftp-part"), SIZE);
          c.send(new Request.PutCommit(RawClient.sha256(content)));
          c.expect(Response.PutDone.class);
          assertEquals(RawClient.sha256(content), RawClient.sha256(Files.readAllBytes(target)));
        }
      } finally {
        watching.set(false);
        watcher.join(5_000);
      }
      System.out.printf("[atomic landing] %d looks at the name during %d uploads of %d bytes: sizes seen %s%n",
          looks.get(), UPLOADS, SIZE, sizesSeen);
      assertTrue(looks.get() > 1_000, "the watcher looked often: " + looks.get());
      assertEquals(SIZE, sizesSeen.isEmpty() ? -1 : sizesSeen.first(), "the smallest size seen under the name");
      assertEquals(1, sizesSeen.size(), "sizes seen under the name: " + sizesSeen);
    }
  }

  /** Offers, announces and sends every byte of an upload from offset 0, leaving the commit to the test. */
  private static void sendAllButCommit(RawClient c, String name, byte[] content) throws IOException {
    c.send(new Request.Put(name, content.length));
    assertEquals(0, c.expect(Response.PutReady.class).offset());
    c.send(new Request.PutData(0, content.length));
    c.sendBytes(content);
  }


  private static Object inode(Path file) throws IOException {
    return Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }
}
