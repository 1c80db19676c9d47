package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.storage.HomeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Homes of removed accounts on real folders: each removal of a name gets its own folder under
 * {@code removed/}, numbered when the same second repeats, and deleting one takes its whole tree but
 * nothing a symlink in it points at.
 */
class RetiredHomesTest {
  private static final Instant NOW = Instant.parse("2026-12-01T02:30:00Z");
  @TempDir Path data;

  private Path homeWith(String name, String file, byte[] bytes) throws Exception {
    Path home = Files.createDirectories(HomeLayout.homeOf(data, name));
    Files.write(home.resolve(file), bytes);
    return home;
  }

  @Test
  void removalsOfOneNameInTheSameSecondAreNumberedAndEachKeepsItsFiles() throws Exception {
    Path removed = HomeLayout.removedDir(data);
    List<String> expected = List.of("zoe-20261201T023000Z", "zoe-20261201T023000Z-2", "zoe-20261201T023000Z-3");
    for (int i = 0; i < expected.size(); i++) {
      Path home = homeWith("zoe", "n.txt", new byte[] {(byte) i});
      Path retired = RetiredHomes.retire(data, home, "zoe", NOW);
      assertEquals(removed.resolve(expected.get(i)), retired);
      assertArrayEquals(new byte[] {(byte) i}, Files.readAllBytes(retired.resolve("n.txt")));
      assertFalse(Files.exists(home), "gone from the homes at once");
    }
    assertNull(RetiredHomes.retire(data, HomeLayout.homeOf(data, "zoe"), "zoe", NOW), "nothing left to retire");
  }

  @Test
  void afterAThousandRemovalsOfOneNameInOneSecondTheNextIsRefusedAndTheHomeStays() throws Exception {
    Path removed = Files.createDirectories(HomeLayout.removedDir(data));
    String base = "uma-20261201T023000Z";
    Files.createDirectory(removed.resolve(base));
    for (int n = 2; n < 1000; n++) Files.createDirectory(removed.resolve(base + "-" + n));
    Path home = homeWith("uma", "u.txt", new byte[2]);
    assertEquals(removed.resolve(base + "-1000"), RetiredHomes.retire(data, home, "uma", NOW), "the thousandth");
    Path again = homeWith("uma", "u.txt", new byte[2]);
    IOException e = assertThrows(IOException.class, () -> RetiredHomes.retire(data, again, "uma", NOW));
    assertTrue(e.getMessage().startsWith("cannot find a free name for " + base), e.getMessage());
    assertTrue(Files.exists(again.resolve("u.txt")), "the home is left where it was");
  }

  @Test
  void deletingARetiredHomeTakesItsWholeTreeButNotWhatALinkInItPointsAt() throws Exception {
    Path outside = Files.writeString(data.resolve("outside.txt"), "keep me");
    Path home = homeWith("yan", "a.txt", new byte[3]);
    Files.write(Files.createDirectories(home.resolve("deep/er")).resolve("b.txt"), new byte[5]);
    Files.createSymbolicLink(home.resolve("deep/link"), outside);
    Files.createSymbolicLink(home.resolve("dirlink"), data);
    Path retired = RetiredHomes.retire(data, home, "yan", NOW);

    RetiredHomes.deleteRetired(data, retired);

    assertFalse(Files.exists(retired, LinkOption.NOFOLLOW_LINKS));
    assertEquals("keep me", Files.readString(outside));
    assertTrue(Files.isDirectory(HomeLayout.removedDir(data)));
    assertDoesNotThrow(() -> RetiredHomes.deleteRetired(data, retired), "deleting twice does nothing");
  }

  @Test
  void onlyAFolderUnderRemovedIsDeletedAsARetiredHome() throws Exception {
    Path home = homeWith("xia", "a.txt", new byte[1]);
    assertThrows(IllegalArgumentException.class, () -> RetiredHomes.deleteRetired(data, home));
    assertTrue(Files.exists(home.resolve("a.txt")));
  }

  @Test
  void aRemovedAccountsHomeIsRetiredThenDeletedThroughTheAccounts() throws Exception {
    Accounts accounts = Accounts.open(data, 0, ScramCredentials.MIN_ITERATIONS);
    accounts.create("wes", new ScramCredentials(new byte[16], ScramCredentials.MIN_ITERATIONS, new byte[32],
        new byte[32]));
    Files.write(Files.createDirectories(accounts.home("wes")).resolve("w.txt"), new byte[7]);
    Path retired = accounts.remove("wes").orElseThrow().retiredHome();
    assertTrue(retired.startsWith(HomeLayout.removedDir(data)));
    assertEquals(7, Files.size(retired.resolve("w.txt")));
    accounts.deleteRetired(retired);
    assertFalse(Files.exists(retired, LinkOption.NOFOLLOW_LINKS));
  }
}
