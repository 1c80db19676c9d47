package dev.selectftp.server.storage;

import dev.selectftp.server.storage.FileInfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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

  @Test
  void survivesConcurrentWritersAndReaders() throws InterruptedException {
    HashCache c = new HashCache(100);
    Thread writer = new Thread(() -> {
      for (int i = 0; i < 10_000; i++) c.put(new FileInfo(Path.of("/f" + i), true, false, i, i, null), H1);
    });
    writer.start();
    for (int i = 0; i < 10_000; i++) c.get(new FileInfo(Path.of("/f" + i), true, false, i, i, null));
    writer.join();
    assertEquals(100, c.size());
  }
}
