package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloading onto a local file that exists: the menus and the prompt ask (overwrite / resume / skip), a
 * one-shot needs a flag and otherwise leaves the file exactly as it was. The server holds v1 of big.bin.
 */
class ExistingLocalFileTest {
  private static final int SIZE = 600_000;
  /** How much of big.bin a copy cut short elsewhere holds. */
  private static final int PREFIX = 200_000;
  private static final String QUESTION = "big.bin exists locally (585.9 KiB). [o]verwrite, [r]esume, [s]kip? ";
  private static final String ONE_SHOT_REFUSAL =
      "error: big.bin exists locally; use --overwrite, --resume or --skip";
  /** An mtime the client could not produce by touching the file now. */
  private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));

  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();
  private final byte[] v1 = TestFiles.randomBytes(1, SIZE);
  private final byte[] v2 = TestFiles.randomBytes(2, SIZE);
  private Path local;

  @BeforeEach
  void storeV1OnTheServer() throws Exception {
    Files.write(server.home(LiveServer.DEMO_USER).resolve("big.bin"), v1);
    local = localDir.resolve("big.bin");
  }

  private void writeLocal(byte[] bytes) throws Exception {
    Files.write(local, bytes);
    Files.setLastModifiedTime(local, LONG_AGO);
  }

  private ScriptedConsole prompt(String... lines) {
    return ScriptedConsole.prompt(server.port(), localDir, lines);
  }

  private ScriptedConsole oneShot(String... command) {
    return ScriptedConsole.oneShot(server.port(), localDir, command);
  }

  private void assertUntouched(byte[] expected) throws Exception {
    assertArrayEquals(expected, Files.readAllBytes(local), "the local file's bytes are as they were");
    assertEquals(LONG_AGO, Files.getLastModifiedTime(local), "the local file was not even opened for writing");
    assertFalse(Files.exists(TestFiles.partialOf(local)), "nothing was downloaded");
  }

  /** Units of the summary's sizes, as {@code HumanSize} writes them. */
  private static final List<String> UNITS = List.of("B", "KiB", "MiB", "GiB", "TiB");
  private static final java.util.regex.Pattern SUMMARY = java.util.regex.Pattern.compile(
      "([0-9.]+) (B|KiB|MiB|GiB|TiB) in ([0-9.]+) s \\(([0-9.]+) (B|KiB|MiB|GiB|TiB)/s\\)");

  /** The summary starting with {@code prefix} says SIZE in TIME s (RATE) with SIZE / TIME = RATE. */
  static void assertRateAddsUp(String out, String prefix) {
    String line = out.substring(out.indexOf(prefix));
    java.util.regex.Matcher m = SUMMARY.matcher(line);
    assertTrue(m.find() && m.start() == prefix.length(), line);
    double size = Double.parseDouble(m.group(1)) * Math.pow(1024, UNITS.indexOf(m.group(2)));
    double rateUnit = Math.pow(1024, UNITS.indexOf(m.group(5)));
    double rate = Double.parseDouble(m.group(4)) * rateUnit;
    double seconds = Double.parseDouble(m.group(3));
    assertTrue(seconds > 0, "a time that can be divided by: " + line);
    double computed = size / seconds;
    // The time has three significant digits, the size and the rate one decimal in their units.
    double slack = computed * 0.01 + 0.05 * rateUnit;
    assertEquals(computed, rate, slack, line);
  }

  private static long count(String text, String part) {
    return (text.length() - text.replace(part, "").length()) / part.length();
  }

  @Test
  void promptAsksAndSkipLeavesTheLocalFileAsItWas() throws Exception {
    writeLocal(v2);
    ScriptedConsole run = prompt("get big.bin", "s", "pwd");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains(QUESTION), run.toString());
    assertTrue(run.out().contains("skipped big.bin"), run.toString());
    assertUntouched(v2);
  }

  @Test
  void overwriteReplacesTheLocalFileWithTheServersOnceVerified() throws Exception {
    writeLocal(v2);
    ScriptedConsole run = prompt("get big.bin", "o");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("get big.bin: 585.9 KiB in "), run.toString());
    assertFalse(run.out().contains("resumed from"), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(local));
    assertFalse(Files.exists(TestFiles.partialOf(local)), "the partial was renamed into place");
  }

  @Test
  void resumeAppendsToTheLocalFileFromItsLength() throws Exception {
    writeLocal(Arrays.copyOf(v1, PREFIX));
    Object inode = Files.readAttributes(local, BasicFileAttributes.class).fileKey();
    ScriptedConsole run = prompt("get big.bin", "r");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains(QUESTION.replace("585.9", "195.3")), run.toString());
    // 400,000 bytes moved this time, of 600,000.
    assertTrue(run.out().contains("get big.bin: 390.6 KiB in "), run.toString());
    assertTrue(run.out().contains(", resumed from byte " + PREFIX + " (585.9 KiB in total), sha256 "
        + TestFiles.sha256(v1)), run.toString());
    assertRateAddsUp(run.out(), "get big.bin: ");
    assertArrayEquals(v1, Files.readAllBytes(local));
    assertEquals(inode, Files.readAttributes(local, BasicFileAttributes.class).fileKey(),
        "the same file grew in place; it was not replaced by a renamed partial");
    assertFalse(Files.exists(TestFiles.partialOf(local)));
  }

  @Test
  void resumeOfAFileWhoseBytesDifferFetchesTheWholeFile() throws Exception {
    writeLocal(Arrays.copyOf(v2, PREFIX));
    ScriptedConsole run = prompt("get big.bin", "resume");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("big.bin did not match the server's first 195.3 KiB: fetched the whole file"),
        run.toString());
    assertFalse(run.out().contains("resumed from"), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(local));
  }

  @Test
  void resumeOfAFileLongerThanTheServersFetchesTheWholeFile() throws Exception {
    byte[] longer = Arrays.copyOf(v1, SIZE + 10);
    writeLocal(longer);
    ScriptedConsole run = oneShot("get", "big.bin", "--resume");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("fetched the whole file"), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(local));
  }

  @Test
  void anUnclearAnswerIsAskedAgainAndTheEndOfInputSkips() throws Exception {
    writeLocal(v2);
    ScriptedConsole run = prompt("get big.bin", "yes");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(2, count(run.out(), QUESTION), run.toString());
    assertTrue(run.out().contains("please answer o, r or s"), run.toString());
    assertUntouched(v2);
  }

  @Test
  void aFlagAnswersAtThePromptWithoutAsking() throws Exception {
    writeLocal(v2);
    ScriptedConsole run = prompt("get big.bin --overwrite");
    assertEquals(0, run.exitCode(), run.toString());
    assertFalse(run.out().contains("exists locally"), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(local));
  }

  @Test
  void aFileInsideTheFolderNamedAsTargetIsAskedAbout() throws Exception {
    Path folder = Files.createDirectories(localDir.resolve("in"));
    local = folder.resolve("big.bin");
    writeLocal(v2);
    ScriptedConsole run = prompt("get big.bin in", "s");
    assertEquals(0, run.exitCode(), run.toString());
    String shown = Path.of("in", "big.bin").toString();
    assertTrue(run.out().contains(shown + " exists locally (585.9 KiB)"), run.toString());
    assertUntouched(v2);
  }

  @Test
  void oneShotWithoutAFlagIsRefusedWithExitOneAndLeavesTheFileUntouched() throws Exception {
    writeLocal(v2);
    ScriptedConsole run = oneShot("get", "big.bin");
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals(ONE_SHOT_REFUSAL + System.lineSeparator(), run.err(), run.toString());
    assertEquals("", run.out(), run.toString());
    assertUntouched(v2);
  }

  @Test
  void oneShotSkipFetchesNothing() throws Exception {
    writeLocal(v2);
    ScriptedConsole run = oneShot("get", "big.bin", "--skip");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("skipped big.bin"), run.toString());
    assertUntouched(v2);
  }

  @Test
  void oneShotOverwriteReplaces() throws Exception {
    writeLocal(v2);
    ScriptedConsole run = oneShot("get", "big.bin", "--overwrite");
    assertEquals(0, run.exitCode(), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(local));
  }

  @Test
  void oneShotResumeContinuesFromTheLocalFilesLength() throws Exception {
    writeLocal(Arrays.copyOf(v1, PREFIX));
    ScriptedConsole run = oneShot("get", "big.bin", "big.bin", "--resume");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("resumed from byte " + PREFIX), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(local));
  }

  @Test
  void twoFlagsOrAnUnknownOneAreUsageErrorsThatTouchNothing() throws Exception {
    writeLocal(v2);
    ScriptedConsole both = oneShot("get", "big.bin", "--overwrite", "--resume");
    assertEquals(2, both.exitCode(), both.toString());
    assertEquals(1, both.err().lines().count(), both.toString());
    ScriptedConsole unknown = oneShot("get", "big.bin", "--force");
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().startsWith("error: unknown option --force"), unknown.toString());
    assertUntouched(v2);
  }

  @Test
  void theMenusAskToo() throws Exception {
    writeLocal(v2);
    // Download (2), the first remote file (big.bin, before sample.bin and welcome.txt): skip, then overwrite.
    ScriptedConsole run = ScriptedConsole.run(server.port(), List.of("--local-dir", localDir.toString()),
        "1", "xiaoyu", "123456", "2", "1", "s", "2", "1", "o", "0");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(2, count(run.out(), QUESTION), run.toString());
    assertTrue(run.out().contains("skipped big.bin"), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(local));
  }
}
