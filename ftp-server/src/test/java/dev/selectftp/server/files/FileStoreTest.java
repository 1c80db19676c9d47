package dev.selectftp.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
  @TempDir Path data;

  @Test
  void createsTheHomeOnFirstUseAndCachesIt() throws IOException {
    FileStore store = new FileStore(data);
    Home h = store.home("xiaoyu");
    assertTrue(Files.isDirectory(data.resolve("home/xiaoyu")));
    assertEquals(data.resolve("home/xiaoyu").toRealPath(), h.root());
    assertSame(h, store.home("xiaoyu"));
  }

  @Test
  void refusesUserNamesThatAreNotSafeFolderNames() {
    FileStore store = new FileStore(data);
    for (String bad : new String[] {"..", ".hidden", "a/b", "", "-x", "a".repeat(33)}) {
      assertThrows(IllegalArgumentException.class, () -> store.home(bad), bad);
    }
  }

  @Test
  void usedBytesSumsTheUsersFiles() throws IOException {
    FileStore store = new FileStore(data);
    Files.writeString(store.home("bob").root().resolve("a.txt"), "12345");
    assertEquals(5, store.usedBytes("bob"));
  }
}
