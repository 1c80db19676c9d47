package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.protocol.ftp.ClientProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lftp (Debian's package; CI installs it) against the real server's FTP door on loopback, plain FTP. */
class LftpInteropTest {
  /** The demo user's quota here: room for the sample files and the small uploads, not for {@link #TOO_BIG}. */
  private static final long QUOTA = 1024 * 1024;
  private static final int TOO_BIG = 2 * 1024 * 1024;
  private static final int FILE_BYTES = 300_000;

  @TempDir Path dir;
  private FtpServer server;
  private Path local;
  private Path home;

  @BeforeAll
  static void lftpIsInstalled() {
    assumeTrue(ClientProcess.installed("lftp", "--version"), "lftp is not installed (.ci/run installs it)");
  }

  @BeforeEach
  void start() throws Exception {
    server = FtpServer.start(ServerConfig.forTests(dir.resolve("data")).withFtpPort(0).withDefaultQuotaBytes(QUOTA));
    home = dir.resolve("data/home/xiaoyu");
    local = Files.createDirectories(dir.resolve("local"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * Runs lftp commands after logging in. Plain FTP on purpose (the FTPS tests are elsewhere); one try per
   * command, so a refusal is an error at once rather than a retry loop; the local folder is {@link #local}.
   */
  private Result lftp(String... commands) throws Exception {
    StringBuilder script = new StringBuilder()
        .append("set cmd:fail-exit yes\nset net:max-retries 1\nset net:timeout 10\nset ftp:ssl-allow no\n")
        .append("set xfer:clobber yes\n")
        .append("open -u xiaoyu,123456 ftp://127.0.0.1:").append(server.ftpPort()).append('\n')
        .append("lcd ").append(local).append('\n');
    for (String c : commands) script.append(c).append('\n');
    Path file = dir.resolve("script.lftp");
    Files.writeString(file, script);
    return ClientProcess.run(dir, List.of("lftp", "-f", file.toString()));
  }

  private Path random(String name, int size, long seed) throws Exception {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    Path file = local.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  /** Relative path to SHA-256 of every file under {@code root}, sorted by path. */
  private static List<String> tree(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> {
        try {
          return root.relativize(p).toString().replace('\\', '/') + " " + ClientProcess.sha256(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
    }
  }

  @Test
  void lftpLogsInAndParsesTheListing() throws Exception {
    Result r = lftp("cls -l", "mkdir made", "cls -l");
    assertTrue(r.ok(), r.output());
    // cls prints what lftp parsed out of MLSD (FEAT offers MLST): type, size, time and name of each entry.
    assertTrue(r.output().lines().anyMatch(l -> l.matches("-rw-r--r-- +65536 \\w{3} [ \\d]\\d .{5} sample\\.bin")),
        r.output());
    assertTrue(r.output().lines().anyMatch(l -> l.matches("drwxr-xr-x .* notes/")), r.output());
    assertTrue(r.output().lines().anyMatch(l -> l.matches("drwxr-xr-x .* made/")), r.output());
    assertTrue(Files.isDirectory(home.resolve("made")));
  }

  @Test
  void lftpPutsAndGetsAFileWithTheSameSha256() throws Exception {
    Path up = random("up.bin", FILE_BYTES, 11);
    Result r = lftp("mkdir in", "cd in", "put up.bin", "get up.bin -o back.bin");
    assertTrue(r.ok(), r.output());
    assertEquals(ClientProcess.sha256(up), ClientProcess.sha256(home.resolve("in/up.bin")));
    assertEquals(ClientProcess.sha256(up), ClientProcess.sha256(local.resolve("back.bin")));
  }

  @Test
  void lftpMirrorsAFolderUpAndBackDown() throws Exception {
    random("tree/a.bin", FILE_BYTES, 1);
    random("tree/sub/b.bin", 5_000, 2);
    random("tree/sub/deeper/c.txt", 10, 3);
    random("tree/empty.bin", 0, 4);
    Result r = lftp("mirror -R tree tree", "mirror tree tree.back");
    assertTrue(r.ok(), r.output());
    List<String> original = tree(local.resolve("tree"));
    assertEquals(4, original.size());
    assertEquals(original, tree(home.resolve("tree")), "mirror -R uploads the tree as it is");
    assertEquals(original, tree(local.resolve("tree.back")), "mirror downloads it as it is");
  }

  @Test
  void lftpRenamesAndRemoves() throws Exception {
    random("x.bin", 1_000, 5);
    Result r = lftp("put x.bin", "mv x.bin y.bin", "rm y.bin", "mkdir gone", "rmdir gone");
    assertTrue(r.ok(), r.output());
    assertFalse(Files.exists(home.resolve("x.bin")));
    assertFalse(Files.exists(home.resolve("y.bin")));
    assertFalse(Files.exists(home.resolve("gone")));
    Result mv = lftp("put x.bin", "mv x.bin z.bin");
    assertTrue(mv.ok(), mv.output());
    assertEquals(1_000, Files.size(home.resolve("z.bin")));
  }

  @Test
  void anUploadOverTheQuotaIsAnErrorAndPublishesNothing() throws Exception {
    random("big.bin", TOO_BIG, 6);
    Result r = lftp("put big.bin");
    assertFalse(r.ok(), r.output());
    assertTrue(r.output().contains("552"), "lftp shows the quota refusal: " + r.output());
    assertFalse(Files.exists(home.resolve("big.bin")));
  }

  @Test
  void climbingOutOfTheHomeIsRefusedAndNothingLeaks() throws Exception {
    Result cd = lftp("cd ../..", "cls");
    assertTrue(cd.ok(), cd.output());
    // The jail clamps ".." at the home's root: the listing is the home's, never the file system's.
    assertTrue(cd.output().contains("sample.bin"), cd.output());
    assertFalse(cd.output().contains("etc/"), cd.output());
    Result get = lftp("get ../../etc/passwd -o stolen");
    assertFalse(get.ok(), get.output());
    assertTrue(get.output().contains("553"), get.output());
    assertFalse(Files.exists(local.resolve("stolen")));
    Result put = lftp("put " + random("p.txt", 10, 7) + " -o ../../escaped.txt");
    assertFalse(put.ok(), put.output());
    assertFalse(Files.exists(dir.resolve("data/escaped.txt")));
    assertFalse(Files.exists(dir.resolve("escaped.txt")));
  }
}
