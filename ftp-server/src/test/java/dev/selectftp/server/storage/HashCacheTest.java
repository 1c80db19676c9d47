package dev.selectftp.server.storage;

import dev.selectftp.server.storage.FileInfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HashCacheTest {
  private static final String H1 = "a".repeat(64);
  private static final String H2 = "b".repeat(64);
  private final Path file = Path.of("/data/home/u/f.bin");

  private FileInfo info(long size, long mtime, Object key) {
    return new FileInfo(file, true, false, size, mtime, key);
  }

  @Test
  void returnsTheHashWhileTheFileIsUnchanged() {
    HashCache c = new HashCache();
    c.put(info(10, 1000, "ino1"), H1);
    assertEquals(Optional.of(H1), c.get(info(10, 1000, "ino1")));
  }

  @Test
  void missesWhenSizeMtimeOrFileKeyChange() {
    HashCache c = new HashCache();
    c.put(info(10, 1000, "ino1"), H1);
    assertEquals(Optional.empty(), c.get(info(11, 1000, "ino1")));
    c.put(info(10, 1000, "ino1"), H1);
    assertEquals(Optional.empty(), c.get(info(10, 1001, "ino1")));
    c.put(info(10, 1000, "ino1"), H1);
    assertEquals(Optional.empty(), c.get(info(10, 1000, "ino2")));
  }

  @Test
  void aNewHashForTheSamePathReplacesTheOldOne() {
    HashCache c = new HashCache();
    c.put(info(10, 1000, "ino1"), H1);
    c.put(info(20, 2000, "ino2"), H2);
    assertEquals(1, c.size());
    assertEquals(Optional.of(H2), c.get(info(20, 2000, "ino2")));
  }

  @Test
  void evictsTheLeastRecentlyUsedBeyondItsBound() {
    HashCache c = new HashCache(2);
    FileInfo a = new FileInfo(Path.of("/a"), true, false, 1, 1, null);
    FileInfo b = new FileInfo(Path.of("/b"), true, false, 1, 1, null);
    FileInfo d = new FileInfo(Path.of("/d"), true, false, 1, 1, null);
    c.put(a, H1);
    c.put(b, H1);
    c.get(a); // a is now more recent than b
    c.put(d, H1);
    assertEquals(2, c.size());
    assertTrue(c.get(a).isPresent());
    assertTrue(c.get(b).isEmpty());
  }

  @Test
  void refusesMalformedHashesAndFolders() {
    HashCache c = new HashCache();
    assertThrows(IllegalArgumentException.class, () -> c.put(info(1, 1, null), "ABC"));
    assertThrows(IllegalArgumentException.class, () -> c.put(new FileInfo(file, true, true, 0, 1, null), H1));
    assertThrows(IllegalArgumentException.class, () -> c.put(FileInfo.missing(file), H1));
  }

  /**
   * Threads that each put and get their own paths at once, on a small bound so that every put evicts: no
   * thread sees an exception, the bound holds, and the count the cache reports is exactly the number of
   * entries it really answers for. An unsynchronized access-ordered map loses size updates, corrupts its
   * recency list (exceptions, or entries counted but unreachable), and fails one of these.
   */
  @Test
  @Timeout(30)
  void concurrentWritersAndReadersLeaveACacheThatIsExactlyFullAndConsistent() throws Exception {
    int bound = 64;
    HashCache c = new HashCache(bound);
    int threads = 4;
    int perThread = 20_000;
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < perThread; i++) {
            c.put(concurrentEntry(id, i), i % 2 == 0 ? H1 : H2);
            int other = (id + 1) % threads;
            Optional<String> seen = c.get(concurrentEntry(other, Math.max(0, i - 3)));
            seen.ifPresent(h -> assertTrue(h.equals(H1) || h.equals(H2), h));
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) w.join();
    assertEquals(List.of(), failures, "no thread saw the cache fail");
    assertEquals(bound, c.size(), "every put beyond the bound evicted exactly one entry");
    int reachable = 0;
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        Optional<String> h = c.get(concurrentEntry(t, i));
        if (h.isPresent()) {
          reachable++;
          assertEquals(i % 2 == 0 ? H1 : H2, h.get(), "the hash put for that path");
        }
      }
    }
    assertEquals(bound, reachable, "the cache answers for exactly as many files as it counts");
  }

  private static FileInfo concurrentEntry(int thread, int i) {
    return new FileInfo(Path.of("/t" + thread + "/f" + i), true, false, i, i, null);
  }
}
