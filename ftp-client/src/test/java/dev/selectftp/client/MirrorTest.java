package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.console.Shell;
import dev.selectftp.client.console.Terminal;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * mirror in both directions against the real server. "Skipped" is proven by what a copy would change: the
 * target file's modification time (set far in the past) and its inode stay as they were.
 */
class MirrorTest {
  private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
  private static final int SIZE = 40_000;

  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();

  private Path home() {
    return server.home(LiveServer.DEMO_USER);
  }

  private ScriptedConsole oneShot(String... command) {
    return ScriptedConsole.oneShot(server.port(), localDir, command);
  }


  /**
   * The same tree on both sides, then differences: same.bin equal; changed.bin the same size with other
   * bytes; grown.txt another size; new.bin and sub/new2.bin only on the source side.
   */
  private void sourceAndTarget(Path source, Path target) throws Exception {
    Files.createDirectories(source.resolve("sub"));
    Files.createDirectories(target);
    byte[] same = TestFiles.writeRandom(source.resolve("same.bin"), 1, SIZE);
    Files.write(target.resolve("same.bin"), same);
    TestFiles.writeRandom(source.resolve("changed.bin"), 2, SIZE);
    TestFiles.writeRandom(target.resolve("changed.bin"), 3, SIZE);
    Files.writeString(source.resolve("grown.txt"), "longer now");
    Files.writeString(target.resolve("grown.txt"), "short");
    TestFiles.writeRandom(source.resolve("new.bin"), 4, 1000);
    TestFiles.writeRandom(source.resolve("sub/new2.bin"), 5, 24);
    for (String name : List.of("same.bin", "changed.bin", "grown.txt")) {
      Files.setLastModifiedTime(target.resolve(name), LONG_AGO);
    }
  }

  /** {@link #sourceAndTarget} with {@code tree} as the source and the server's {@code /tree}, which it returns. */
  private Path uploadSides(Path tree) throws Exception {
    Path remote = home().resolve("tree");
    sourceAndTarget(tree, remote);
    return remote;
  }

  private static Object inode(Path file) throws Exception {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }

  /** Every file under {@code root} with its bytes' hash, modification time and inode. */
  private static Map<String, String> snapshot(Path root) throws Exception {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        all.put(root.relativize(p).toString(), a.isDirectory() ? "dir"
            : TestFiles.sha256(p) + " " + a.lastModifiedTime() + " " + a.fileKey());
      }
    }
    return all;
  }

  private static void assertSameBytes(Path expected, Path actual) throws Exception {
    assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual), actual.toString());
  }

  @Test
  void mirrorReverseUploadsOnlyChangedFilesAndSaysHowMany() throws Exception {
    Path tree = localDir.resolve("tree");
    Path remote = uploadSides(tree);
    Object sameInode = inode(remote.resolve("same.bin"));
    ScriptedConsole run = oneShot("mirror", "-R", "tree");
    assertEquals(0, run.exitCode(), run.toString());
    for (String name : List.of("same.bin", "changed.bin", "grown.txt", "new.bin", "sub/new2.bin")) {
      assertSameBytes(tree.resolve(name), remote.resolve(name));
    }
    assertEquals(LONG_AGO, Files.getLastModifiedTime(remote.resolve("same.bin")), "same.bin was not rewritten");
    assertEquals(sameInode, inode(remote.resolve("same.bin")), "same.bin was not replaced");
    assertTrue(run.out().contains("mirror: 4 files moved (" + HumanSizes.of(SIZE + 10 + 1000 + 24)
        + "), 1 skipped (same SHA-256), 0 failed, 0 deleted, in "), run.toString());

    ScriptedConsole again = oneShot("mirror", "-R", "tree");
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.out().contains("mirror: 0 files moved (0 B), 5 skipped (same SHA-256), 0 failed, 0 deleted"),
        again.toString());
  }

  @Test
  void mirrorDownloadsOnlyChangedFilesIntoTheRemoteFoldersName() throws Exception {
    Path remote = home().resolve("photos");
    Path local = localDir.resolve("photos");
    sourceAndTarget(remote, local);
    Object sameInode = inode(local.resolve("same.bin"));
    ScriptedConsole run = oneShot("mirror", "photos");
    assertEquals(0, run.exitCode(), run.toString());
    for (String name : List.of("same.bin", "changed.bin", "grown.txt", "new.bin", "sub/new2.bin")) {
      assertSameBytes(remote.resolve(name), local.resolve(name));
    }
    assertEquals(LONG_AGO, Files.getLastModifiedTime(local.resolve("same.bin")), "same.bin was not rewritten");
    assertEquals(sameInode, inode(local.resolve("same.bin")));
    assertTrue(run.out().contains("mirror: 4 files moved ("), run.toString());
    assertTrue(run.out().contains("1 skipped (same SHA-256), 0 failed"), run.toString());
  }

  @Test
  void mirrorDryRunChangesNothing() throws Exception {
    Path tree = localDir.resolve("tree");
    Path remote = uploadSides(tree);
    Files.writeString(remote.resolve("extra.txt"), "only on the server");
    Map<String, String> before = snapshot(remote);
    ScriptedConsole run = oneShot("mirror", "-R", "--dry-run", "--delete", "tree");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(before, snapshot(remote), "the server's files are exactly as they were");
    String out = run.out();
    assertTrue(out.contains("would make folder sub\n"), out);
    assertTrue(out.contains("would put changed.bin (changed, 39.1 KiB)\n"), out);
    assertTrue(out.contains("would put new.bin (new, 1000 B)\n"), out);
    assertTrue(out.contains("would delete extra.txt\n"), out);
    assertFalse(out.contains("would put same.bin"), out);
    assertTrue(out.contains("mirror --dry-run: 4 files would move ("), out);
    assertTrue(out.contains("1 skipped (same SHA-256), 0 would fail, 1 would be deleted; nothing changed"), out);
  }

  @Test
  void mirrorDeleteRemovesRemoteFilesTheLocalSideLacks() throws Exception {
    Path tree = localDir.resolve("tree");
    Path remote = uploadSides(tree);
    Files.writeString(remote.resolve("extra.txt"), "only on the server");
    Files.createDirectories(remote.resolve("old/older"));
    Files.writeString(remote.resolve("old/older/x.txt"), "x");
    ScriptedConsole run = oneShot("mirror", "-R", "--delete", "tree");
    assertEquals(0, run.exitCode(), run.toString());
    assertFalse(Files.exists(remote.resolve("extra.txt")));
    assertFalse(Files.exists(remote.resolve("old")), "a folder the source lacks goes with what it held");
    assertTrue(run.out().contains("0 failed, 4 deleted"), run.toString());
    Map<String, String> local = snapshot(tree);
    Map<String, String> mirrored = snapshot(remote);
    assertEquals(local.keySet(), mirrored.keySet(), "the same names on both sides");
  }

  @Test
  void mirrorDeleteInTheDownloadDirectionRemovesLocalFilesTheServerLacks() throws Exception {
    Path remote = home().resolve("photos");
    Path local = localDir.resolve("photos");
    sourceAndTarget(remote, local);
    Files.writeString(local.resolve("mine.txt"), "only here");
    ScriptedConsole run = oneShot("mirror", "--delete", "photos", "photos");
    assertEquals(0, run.exitCode(), run.toString());
    assertFalse(Files.exists(local.resolve("mine.txt")));
    assertTrue(run.out().contains("0 failed, 1 deleted"), run.toString());
  }

  @Test
  void aFileThatCannotBeMirroredIsReportedTheRestMovesAndTheExitIs1() throws Exception {
    Path tree = localDir.resolve("tree");
    Path remote = uploadSides(tree);
    Files.writeString(tree.resolve("clash"), "a file here");
    Files.createDirectories(remote.resolve("clash")); // a folder there
    ScriptedConsole run = oneShot("mirror", "-R", "tree");
    assertEquals(1, run.exitCode(), run.toString());
    assertSameBytes(tree.resolve("new.bin"), remote.resolve("new.bin"));
    assertSameBytes(tree.resolve("changed.bin"), remote.resolve("changed.bin"));
    assertTrue(run.out().contains("error: clash is a file on the source side but a folder on the target side"),
        run.toString());
    assertTrue(run.out().contains("mirror: 4 files moved ("), run.toString());
    assertTrue(run.out().contains("1 skipped (same SHA-256), 1 failed, 0 deleted"), run.toString());
    assertTrue(run.err().startsWith("error: 1 of "), run.toString());
  }

  @Test
  void aMirrorCutByTheServerSaysHowFarItGotAndTheSameCommandContinuesIt() throws Exception {
    Path remote = home().resolve("big");
    Files.createDirectories(remote);
    byte[] small = TestFiles.writeRandom(remote.resolve("a.bin"), 8, 100_000);
    byte[] big = TestFiles.writeRandom(remote.resolve("big.bin"), 9, 24 * 1024 * 1024);
    int port = server.port();
    java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.function.UnaryOperator<TransferListener> cutting =
        bar -> TestFiles.firingOnceAt(bar, 2 * 1024 * 1024, cut, () -> server.server().close());
    List<String> args = List.of("-u", "xiaoyu", "-p", "123456", "--local-dir", localDir.toString(), "mirror", "big");
    ScriptedConsole run = ScriptedConsole.run(port, args, dev.selectftp.client.console.Interrupts.manual(), cutting);
    assertTrue(cut.get(), run.toString());
    assertEquals(3, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("error: mirror stopped after 1 of 2 files ("), run.toString());
    assertTrue(run.err().endsWith("; run the same command again to continue\n"), run.toString());
    assertArrayEquals(small, Files.readAllBytes(localDir.resolve("big/a.bin")));
    assertFalse(Files.exists(localDir.resolve("big/big.bin")), "nothing half-done under the real name");

    server.restart(config -> config.withBind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(),
        port)));
    ScriptedConsole again = ScriptedConsole.run(port, args);
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.out().contains("mirror: 1 file moved (24.0 MiB), 1 skipped (same SHA-256), 0 failed"),
        again.toString());
    assertArrayEquals(big, Files.readAllBytes(localDir.resolve("big/big.bin")));
  }

  @Test
  void mirrorShowsOneProgressLineForTheWholeTreeOnATerminal() throws Exception {
    Path tree = localDir.resolve("tree");
    Files.createDirectories(tree);
    for (int i = 0; i < 5; i++) TestFiles.writeRandom(tree.resolve("f" + i + ".bin"), i, 300_000);
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    Terminal live = new Terminal(new BufferedReader(new StringReader("")),
        new PrintStream(screen, true, StandardCharsets.UTF_8), null, true);
    try (FtpClient client = server.loginDemo()) {
      new Shell(client, live, localDir, System::nanoTime).execute(List.of("mirror", "-R", "tree"));
    }
    // Split on line feeds only: the progress line redraws itself after carriage returns.
    List<String> lines = List.of(screen.toString(StandardCharsets.UTF_8).split("\n"));
    assertEquals(2, lines.size(), "one progress line and the summary: " + lines);
    String last = lines.get(0).substring(lines.get(0).lastIndexOf('\r') + 1);
    assertTrue(last.startsWith("mirror 5/5 files  [##########]  100%  1.4 MiB/1.4 MiB"), last);
    assertTrue(lines.get(1).startsWith("mirror: 5 files moved (1.4 MiB), 0 skipped"), lines.get(1));
  }

  /** HumanSize as the console writes it, for the expected summaries. */
  private static final class HumanSizes {
    static String of(long bytes) {
      return dev.selectftp.client.console.HumanSize.bytes(bytes);
    }
  }
}
