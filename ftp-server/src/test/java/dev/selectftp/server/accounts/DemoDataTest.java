package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {
  @TempDir Path dir;

  private Accounts open() throws Exception {
    return Accounts.open(dir, TestSupport.QUOTA, TestSupport.ITERATIONS);
  }

  @Test
  void freshFolderGetsXiaoyuWhosPassword123456Verifies() throws Exception {
    Accounts accounts = open();
    assertTrue(DemoData.seedIfFresh(accounts, dir));

    User xiaoyu = open().find("xiaoyu").orElseThrow();
    assertEquals(TestSupport.ITERATIONS, xiaoyu.credentials().iterations());
    assertTrue(TestSupport.login("xiaoyu", "123456", accounts.credentialsFor("xiaoyu")));
    assertFalse(TestSupport.login("xiaoyu", "654321", accounts.credentialsFor("xiaoyu")));
  }

  @Test
  void freshFolderGetsTheSampleFiles() throws Exception {
    DemoData.seedIfFresh(open(), dir);
    Path home = dir.resolve("home").resolve("xiaoyu");

    assertTrue(Files.readString(home.resolve("welcome.txt")).contains("SelectFTP"));
    assertTrue(Files.readString(home.resolve("notes").resolve("todo.md")).startsWith("# To do"));
    byte[] sample = Files.readAllBytes(home.resolve("sample.bin"));
    assertEquals(64 * 1024, sample.length);
    assertArrayEquals(DemoData.sampleBytes(), sample);
    assertTrue(Arrays.stream(new int[] {0, 1, 2, 3}).map(i -> sample[i]).distinct().count() > 1,
        "sample bytes should not be one repeated value");
  }

  @Test
  void secondRunChangesNothing() throws Exception {
    Accounts accounts = open();
    assertTrue(DemoData.seedIfFresh(accounts, dir));
    Path welcome = dir.resolve("home").resolve("xiaoyu").resolve("welcome.txt");
    Files.writeString(welcome, "edited by the user");
    byte[] usersBefore = Files.readAllBytes(dir.resolve(UserStore.FILE_NAME));

    assertFalse(DemoData.seedIfFresh(open(), dir));
    assertEquals("edited by the user", Files.readString(welcome));
    assertArrayEquals(usersBefore, Files.readAllBytes(dir.resolve(UserStore.FILE_NAME)));
  }

  @Test
  void folderWithOtherUsersIsNotSeeded() throws Exception {
    Accounts accounts = open();
    accounts.register("bob", TestSupport.credentials("pw"));
    assertFalse(DemoData.seedIfFresh(accounts, dir));
    assertTrue(accounts.find("xiaoyu").isEmpty());
  }
}
