package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploading onto a name that exists: the menus and the prompt ask (overwrite / resume / skip), one-shot
 * needs a flag. The server holds v1 of big.bin; the local big.bin is v2.
 */
class ExistingNameTest {
  private static final int SIZE = 600_000;
  private static final String QUESTION = "big.bin exists on the server (585.9 KiB). [o]verwrite, [r]esume, [s]kip? ";
  private static final String ONE_SHOT_REFUSAL =
      "error: big.bin exists on the server; use --overwrite, --resume or --skip";
  /** What an interrupted upload of v2 left on the server. */
  private static final int PREFIX = 200_000;

  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();
  private final byte[] v1 = TestFiles.randomBytes(1, SIZE);
  private final byte[] v2 = TestFiles.randomBytes(2, SIZE);
  private Path stored;

  @BeforeEach
  void storeV1AndWriteV2Locally() throws Exception {
    try (FtpClient client = server.loginDemo()) {
      client.put(Files.write(localDir.resolve("v1.bin"), v1), "big.bin", TransferListener.NONE);
    }
    Files.delete(localDir.resolve("v1.bin"));
    Files.write(localDir.resolve("big.bin"), v2);
    stored = server.home(LiveServer.DEMO_USER).resolve("big.bin");
  }

  /** Leaves on the server what an interrupted upload of v2 to {@code name} leaves: its first bytes, hidden. */
  private void leaveAnInterruptedUploadOfV2(String name) throws Exception {
    Path partial = TestFiles.partialOf(server.home(LiveServer.DEMO_USER).resolve(name));
    Files.write(partial, Arrays.copyOf(v2, PREFIX));
    server.restart(); // so the server's quota and partial bookkeeping see it, as after a real cut
  }

  private ScriptedConsole prompt(String... lines) {
    return ScriptedConsole.prompt(server.port(), localDir, lines);
  }

  private ScriptedConsole oneShot(String... command) {
    return ScriptedConsole.oneShot(server.port(), localDir, command);
  }

  private static long count(String text, String part) {
    return (text.length() - text.replace(part, "").length()) / part.length();
  }

  @Test
  void promptAsksAndSkipSendsNothing() throws Exception {
    ScriptedConsole run = prompt("put big.bin", "s", "pwd");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains(QUESTION), run.toString());
    assertTrue(run.out().contains("skipped big.bin"), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(stored));
    assertFalse(Files.exists(TestFiles.partialOf(stored)), "nothing was sent");
  }

  @Test
  void overwriteSendsFromByteZeroEvenWhenTheServerOffersToResume() throws Exception {
    leaveAnInterruptedUploadOfV2("big.bin");
    ScriptedConsole run = prompt("put big.bin", "o");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("put big.bin: 585.9 KiB"), run.toString());
    assertFalse(run.out().contains("resumed from"), run.toString());
    assertArrayEquals(v2, Files.readAllBytes(stored));
    assertFalse(Files.exists(TestFiles.partialOf(stored)));
  }

  @Test
  void resumeContinuesTheInterruptedUploadThenReplaces() throws Exception {
    leaveAnInterruptedUploadOfV2("big.bin");
    ScriptedConsole run = prompt("put big.bin", "r");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains(QUESTION), run.toString());
    assertTrue(run.out().contains("resumed from byte " + PREFIX), run.toString());
    assertArrayEquals(v2, Files.readAllBytes(stored));
  }

  @Test
  void anUnclearAnswerIsAskedAgainAndTheEndOfInputSkips() throws Exception {
    ScriptedConsole run = prompt("put big.bin", "yes");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(2, count(run.out(), QUESTION), run.toString());
    assertTrue(run.out().contains("please answer o, r or s"), run.toString());
    assertTrue(run.out().contains("skipped big.bin"), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(stored));
  }

  @Test
  void aNameThatDoesNotExistUploadsWithoutAskingAndStillResumes() throws Exception {
    Files.write(localDir.resolve("fresh.bin"), v2);
    leaveAnInterruptedUploadOfV2("fresh.bin");
    ScriptedConsole run = prompt("put fresh.bin");
    assertEquals(0, run.exitCode(), run.toString());
    assertFalse(run.out().contains("exists on the server"), run.toString());
    assertTrue(run.out().contains("resumed from byte " + PREFIX), run.toString());
    assertArrayEquals(v2, Files.readAllBytes(server.home(LiveServer.DEMO_USER).resolve("fresh.bin")));
  }

  @Test
  void aFlagAnswersAtThePromptWithoutAsking() throws Exception {
    ScriptedConsole run = prompt("put big.bin --overwrite");
    assertEquals(0, run.exitCode(), run.toString());
    assertFalse(run.out().contains("exists on the server"), run.toString());
    assertArrayEquals(v2, Files.readAllBytes(stored));
  }

  @Test
  void oneShotWithoutAFlagIsRefusedWithOneLineAndExitOne() throws Exception {
    ScriptedConsole run = oneShot("put", "big.bin");
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals(ONE_SHOT_REFUSAL + System.lineSeparator(), run.err(), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(stored));
  }

  @Test
  void oneShotSkipUploadsNothing() throws Exception {
    ScriptedConsole run = oneShot("put", "big.bin", "--skip");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("skipped big.bin"), run.toString());
    assertArrayEquals(v1, Files.readAllBytes(stored));
  }

  @Test
  void oneShotOverwriteStartsFromZero() throws Exception {
    leaveAnInterruptedUploadOfV2("big.bin");
    ScriptedConsole run = oneShot("put", "big.bin", "--overwrite");
    assertEquals(0, run.exitCode(), run.toString());
    assertFalse(run.out().contains("resumed from"), run.toString());
    assertArrayEquals(v2, Files.readAllBytes(stored));
  }

  @Test
  void oneShotResumeContinuesTheInterruptedUpload() throws Exception {
    leaveAnInterruptedUploadOfV2("big.bin");
    ScriptedConsole run = oneShot("put", "big.bin", "big.bin", "--resume");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("resumed from byte " + PREFIX), run.toString());
    assertArrayEquals(v2, Files.readAllBytes(stored));
  }

  @Test
  void twoFlagsOrAnUnknownOneAreUsageErrors() {
    ScriptedConsole both = oneShot("put", "big.bin", "--overwrite", "--skip");
    assertEquals(2, both.exitCode(), both.toString());
    assertEquals(1, both.err().lines().count(), both.toString());
    ScriptedConsole unknown = oneShot("put", "big.bin", "--force");
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().startsWith("error: unknown option --force"), unknown.toString());
    assertEquals(1, unknown.err().lines().count(), unknown.toString());
  }

  @Test
  void theMenusAskToo() throws Exception {
    ScriptedConsole run = ScriptedConsole.run(server.port(), List.of("--local-dir", localDir.toString()),
        "1", "xiaoyu", "123456", "1", "1", "s", "1", "1", "o", "0");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(2, count(run.out(), QUESTION), run.toString());
    assertTrue(run.out().contains("skipped big.bin"), run.toString());
    assertArrayEquals(v2, Files.readAllBytes(stored));
  }
}
