package dev.selectftp.server.files;

import dev.selectftp.server.storage.HomeLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staging folder that mkdir goes through: swept after a crash, and never taken for a user's home. */
class StagingTest {
  private static final int HOMES = 10;

  @TempDir Path data;

  @Test
  void aFolderACrashLeftInStagingIsSweptWithTheStalePartials() throws Exception {
    Path root = Files.createDirectories(data.resolve("home/xiaoyu"));
    Home home = new Home(root);
    Path staging = HomeLayout.homesDir(data).resolve(HomeLayout.STAGING_DIR);
    Instant now = Instant.now();
    Path leftover = Files.createDirectory(staging.resolve("mkdir-1-1"));
    Files.setLastModifiedTime(leftover, FileTime.from(now.minus(Duration.ofDays(8))));
    Path fresh = Files.createDirectory(staging.resolve("mkdir-1-2"));
    Path foreign = Files.createDirectory(staging.resolve("not-ours"));
    Files.setLastModifiedTime(foreign, FileTime.from(now.minus(Duration.ofDays(8))));

    home.deleteStalePartials(Duration.ofDays(7), now, new dev.selectftp.server.transfer.UploadLocks());

    assertFalse(Files.exists(leftover));
    assertTrue(Files.exists(fresh), "a folder being staged right now stays");
    assertTrue(Files.exists(foreign), "only staged folders are swept");
  }

  @Test
  void theServersPartialSweepPassesOverTheStagingFolderAndReachesEveryHome() throws Exception {
    Path homes = Files.createDirectories(data.resolve("home"));
    Files.createDirectories(homes.resolve(HomeLayout.STAGING_DIR));
    List<Path> stale = new ArrayList<>();
    for (int i = 0; i < HOMES; i++) {
      Path partial = Files.createDirectories(homes.resolve("user" + i)).resolve(".f.selectftp-part");
      Files.writeString(partial, "stale");
      Files.setLastModifiedTime(partial, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
      stale.add(partial);
    }
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(data))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (stale.stream().anyMatch(Files::exists) && System.nanoTime() < deadline) Thread.sleep(50);
    }
    assertEquals(List.of(), stale.stream().filter(Files::exists).toList(), "partials the start-up sweep missed");
  }
}
