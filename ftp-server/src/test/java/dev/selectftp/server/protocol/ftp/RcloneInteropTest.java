package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.protocol.ftp.ClientProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rclone (Debian's package; CI installs it) against the real server's FTP door, through an on-the-fly remote
 * ({@code :ftp,host=...,pass=OBSCURED:}), so no rclone config file is written.
 */
class RcloneInteropTest {
  @TempDir Path dir;
  private FtpServer server;
  private String remote;

  @BeforeAll
  static void rcloneIsInstalled() {
    assumeTrue(ClientProcess.installed("rclone", "version"), "rclone is not installed (.ci/run installs it)");
  }

  @BeforeEach
  void start() throws Exception {
    server = FtpServer.start(ServerConfig.forTests(dir.resolve("data")).withFtpPort(0));
    Result obscured = rclone("obscure", "123456");
    assertTrue(obscured.ok(), obscured.output());
    String pass = obscured.output().lines().filter(l -> !l.contains("NOTICE")).findFirst().orElseThrow().strip();
    remote = ":ftp,host=127.0.0.1,port=" + server.ftpPort() + ",user=xiaoyu,pass=" + pass + ":";
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** rclone with one low-level retry, so a refusal fails the run instead of being retried for a minute. */
  private Result rclone(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("rclone", "--retries", "1", "--low-level-retries", "1",
        "--contimeout", "10s", "--timeout", "20s"));
    command.addAll(List.of(args));
    return ClientProcess.run(dir, command);
  }

  private static void write(Path file, int size, long seed) throws Exception {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  @Test
  void rcloneListsTheHome() throws Exception {
    Result r = rclone("lsf", remote);
    assertTrue(r.ok(), r.output());
    List<String> names = r.output().lines().filter(l -> !l.contains("NOTICE")).sorted().toList();
    assertEquals(List.of("notes/", "sample.bin", "welcome.txt"), names);
  }

  @Test
  void rcloneCopiesAFolderUpAndDownAndChecksItByDownloading() throws Exception {
    Path tree = dir.resolve("tree");
    write(tree.resolve("a.bin"), 200_000, 1);
    write(tree.resolve("sub/b.bin"), 3_000, 2);
    write(tree.resolve("sub/deeper/c.txt"), 10, 3);
    Result up = rclone("copy", tree.toString(), remote + "up/tree");
    assertTrue(up.ok(), "copy into a folder that does not exist yet: " + up.output());
    for (String f : List.of("a.bin", "sub/b.bin", "sub/deeper/c.txt")) {
      assertEquals(ClientProcess.sha256(tree.resolve(f)),
          ClientProcess.sha256(dir.resolve("data/home/xiaoyu/up/tree/" + f)), f);
    }
    Result check = rclone("check", tree.toString(), remote + "up/tree", "--download");
    assertTrue(check.ok(), check.output());
    assertTrue(check.output().contains("0 differences found"), check.output());
    Path back = dir.resolve("back");
    Result down = rclone("copy", remote + "up/tree", back.toString());
    assertTrue(down.ok(), down.output());
    for (String f : List.of("a.bin", "sub/b.bin", "sub/deeper/c.txt")) {
      assertEquals(ClientProcess.sha256(tree.resolve(f)), ClientProcess.sha256(back.resolve(f)), f);
    }
  }

  @Test
  void rcloneCheckSeesADifferentFile() throws Exception {
    Path tree = dir.resolve("tree");
    write(tree.resolve("a.bin"), 1_000, 1);
    assertTrue(rclone("copy", tree.toString(), remote + "t").ok());
    write(tree.resolve("a.bin"), 1_000, 2); // same size, other bytes: only --download sees it
    Result check = rclone("check", tree.toString(), remote + "t", "--download");
    assertEquals(1, check.code(), check.output());
    assertTrue(check.output().contains("1 differences found"), check.output());
  }
}
