package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.storage.OutOfSpace;
import dev.selectftp.server.testing.LoopAndPool;
import dev.selectftp.server.testing.SmallDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store pool on real threads and real disks: a call runs on a helper thread and answers on the loop, and
 * an I/O failure is reported as a full disk exactly when the disk under the store is nearly full.
 */
class StoreCallsTest {
  /** More than the 2 MiB disk holds. */
  private static final int TOO_BIG = 3 << 20;

  @TempDir Path dir;

  @Test
  void aStoreCallRunsOnAHelperThreadAndItsValueArrivesOnTheLoop() throws Exception {
    FileStore files = new FileStore(dir);
    try (LoopAndPool threads = new LoopAndPool()) {
      StoreCalls calls = new StoreCalls(threads.pool(), files);
      assertSame(files, calls.storage(), "the homes its calls reach");
      LoopAndPool.Answer<String> answer = threads.call(done -> calls.run(() -> Thread.currentThread().getName(), done));
      assertEquals("test-store-1", answer.value(), "the work ran on the pool, not the loop");
      assertNull(answer.failure());
      assertEquals(LoopAndPool.LOOP_THREAD, answer.thread());
    }
  }

  @Test
  void aFailureOnADiskWithRoomArrivesAsItselfBothRunAndClassified() throws Exception {
    FileStore files = new FileStore(dir);
    try (LoopAndPool threads = new LoopAndPool()) {
      StoreCalls calls = new StoreCalls(threads.pool(), files);
      LoopAndPool.Answer<byte[]> read = threads.call(done -> calls.run(() -> Files.readAllBytes(dir.resolve("nope")), done));
      assertInstanceOf(NoSuchFileException.class, read.failure(), "not a full disk: the disk has room");

      IOException seenOnLoop = new IOException("a failed write of an upload");
      LoopAndPool.Answer<IOException> classified = threads.call(done -> calls.classify(seenOnLoop, done));
      assertSame(seenOnLoop, classified.value());
      assertEquals(LoopAndPool.LOOP_THREAD, classified.thread());
    }
  }

  @Test
  void aFailedWriteOnANearlyFullDiskArrivesAsOutOfSpaceWithTheCause() throws Exception {
    try (SmallDisk disk = SmallDisk.mountAt(dir.resolve("small"));
        LoopAndPool threads = new LoopAndPool()) {
      Path data = Files.createDirectories(disk.root().resolve("data")); // the store asks the disk it lives on
      StoreCalls calls = new StoreCalls(threads.pool(), new FileStore(data));
      Path file = disk.root().resolve("big.bin");
      LoopAndPool.Answer<Path> write = threads.call(done -> calls.run(() -> Files.write(file, new byte[TOO_BIG]), done));
      OutOfSpace full = assertInstanceOf(OutOfSpace.class, write.failure(), "the disk is full");
      assertInstanceOf(IOException.class, full.getCause());

      IOException seenOnLoop = new IOException("a failed write of an upload");
      OutOfSpace classified = assertInstanceOf(OutOfSpace.class, threads.call(
          (Background.Result<IOException> done) -> calls.classify(seenOnLoop, done)).value());
      assertSame(seenOnLoop, classified.getCause());
      OutOfSpace already = new OutOfSpace(seenOnLoop);
      assertSame(already, threads.call(
          (Background.Result<IOException> done) -> calls.classify(already, done)).value(),
          "a full disk already named is not wrapped twice");
    }
  }
}
