package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.console.Interrupts;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server goes away in the middle of a transfer (it is closed from the transfer's own progress callback,
 * as a crash or a restart would cut it). The console keeps what moved, says how far it got and prints the
 * exact command that resumes it; after the server is back on the same port, that command, typed as printed,
 * finishes the transfer byte-identical.
 */
@Timeout(60)
class CutTransferTest {
  /** Large enough that the socket buffers cannot hold what is left when the cut comes. */
  private static final int SIZE = 24 * 1024 * 1024 + 321;
  private static final long CUT_AT = 2 * 1024 * 1024;
  private static final String RESUME = "; to resume, run: ";

  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();
  private final byte[] content = TestFiles.randomBytes(12, SIZE);
  private final AtomicBoolean cut = new AtomicBoolean();
  private Path stored;
  private Path local;
  private int port;

  @BeforeEach
  void setUp() {
    stored = server.home(LiveServer.DEMO_USER).resolve("big.bin");
    local = localDir.resolve("big.bin");
    port = server.port();
  }

  /** Wraps the transfer's progress bar: once {@link #CUT_AT} bytes are in place, the server closes. */
  private TransferListener cuttingTheServer(TransferListener bar) {
    return TestFiles.firingOnceAt(bar, CUT_AT, cut, () -> server.server().close());
  }

  private ScriptedConsole cutRun(List<String> command, String... lines) {
    List<String> args = new ArrayList<>(List.of("-u", "xiaoyu", "-p", "123456", "--local-dir", localDir.toString()));
    args.addAll(command);
    UnaryOperator<TransferListener> listeners = this::cuttingTheServer;
    ScriptedConsole run = ScriptedConsole.run(port, args, Interrupts.manual(), listeners, lines);
    assertTrue(cut.get(), "the server was closed mid-transfer: " + run);
    return run;
  }

  /** The one error line, checked to name the transfer and how far it got; returns the command it gives. */
  private String resumeCommand(String text, String verb) {
    // At the prompt the line follows the prompt that read the command.
    List<String> errors = text.lines().filter(l -> l.contains("error: "))
        .map(l -> l.substring(l.indexOf("error: "))).toList();
    assertEquals(1, errors.size(), text);
    String line = errors.get(0);
    assertTrue(line.startsWith("error: " + verb + " big.bin stopped at "), line);
    assertTrue(line.contains(" of 24.0 MiB ("), line);
    assertTrue(line.contains(RESUME), line);
    assertFalse(line.contains("123456"), "the password is never printed: " + line);
    return line.substring(line.indexOf(RESUME) + RESUME.length());
  }

  private String expected(String words) {
    return "ftp-client -P " + port + " --no-tls --local-dir " + localDir + " -u xiaoyu " + words;
  }

  /** Starts the server again on the port the printed command names, then runs that command as printed. */
  private ScriptedConsole restartAndType(String command) throws Exception {
    server.restart(config -> config.withBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    List<String> words = shellWords(command);
    assertEquals("ftp-client", words.get(0));
    ScriptedConsole run = ScriptedConsole.exactly(words.subList(1, words.size()), "123456"); // asked for
    assertEquals(0, run.exitCode(), run.toString());
    return run;
  }

  @Test
  void aFreshDownloadCutAtThePromptKeepsItsPartialAndPrintsTheSameGet() throws Exception {
    Files.write(stored, content);
    ScriptedConsole run = cutRun(List.of(), "get big.bin", "pwd");
    assertEquals(3, run.exitCode(), run.toString());
    String command = resumeCommand(run.out(), "get");
    assertEquals(expected("get big.bin"), command);
    assertFalse(Files.exists(local), "nothing under the real name");
    long kept = Files.size(TestFiles.partialOf(local));
    assertTrue(kept >= CUT_AT && kept < SIZE, "kept " + kept);

    ScriptedConsole again = restartAndType(command);
    assertTrue(again.out().contains("resumed from byte " + kept + " (24.0 MiB in total)"), again.toString());
    ExistingLocalFileTest.assertRateAddsUp(again.out(), "get big.bin: ");
    assertArrayEquals(content, Files.readAllBytes(local));
  }

  @Test
  void aOneShotResumeOfTheLocalFileCutAgainPrintsResume() throws Exception {
    Files.write(stored, content);
    Files.write(local, Arrays.copyOf(content, 1024 * 1024));
    ScriptedConsole run = cutRun(List.of("get", "big.bin", "--resume"));
    assertEquals(3, run.exitCode(), run.toString());
    assertEquals(1, run.err().lines().count(), run.toString());
    String command = resumeCommand(run.err(), "get");
    assertEquals(expected("get big.bin --resume"), command);
    int grown = (int) Files.size(local);
    assertTrue(grown >= CUT_AT && grown < SIZE, "the local file grew to " + grown);
    assertArrayEquals(Arrays.copyOf(content, grown), Files.readAllBytes(local), "and holds the file's first bytes");

    ScriptedConsole again = restartAndType(command);
    assertTrue(again.out().contains("resumed from byte " + grown), again.toString());
    assertArrayEquals(content, Files.readAllBytes(local));
  }

  @Test
  void anOverwriteCutLeavesTheOldFileAndPrintsOverwriteWhichContinuesThePartial() throws Exception {
    Files.write(stored, content);
    byte[] old = TestFiles.randomBytes(13, 1000);
    Files.write(local, old);
    ScriptedConsole run = cutRun(List.of("get", "big.bin", "--overwrite"));
    assertEquals(3, run.exitCode(), run.toString());
    String command = resumeCommand(run.err(), "get");
    assertEquals(expected("get big.bin --overwrite"), command);
    assertArrayEquals(old, Files.readAllBytes(local), "the old file stays until the new one is verified");
    long kept = Files.size(TestFiles.partialOf(local));

    ScriptedConsole again = restartAndType(command);
    assertTrue(again.out().contains("resumed from byte " + kept), again.toString());
    assertArrayEquals(content, Files.readAllBytes(local));
  }

  @Test
  void anUploadCutAtThePromptPrintsPutResume() throws Exception {
    Files.write(local, content);
    ScriptedConsole run = cutRun(List.of(), "put big.bin");
    assertEquals(3, run.exitCode(), run.toString());
    String command = resumeCommand(run.out(), "put");
    assertEquals(expected("put big.bin --resume"), command);
    assertFalse(Files.exists(stored), "nothing under the real name on the server");

    ScriptedConsole again = restartAndType(command);
    assertTrue(again.out().contains("resumed from byte "), again.toString());
    ExistingLocalFileTest.assertRateAddsUp(again.out(), "put big.bin: ");
    assertArrayEquals(content, Files.readAllBytes(stored));
  }

  /** Splits a POSIX shell line as Rerun quotes it: blanks, single quotes, and {@code \'} for a quote. */
  private static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
        inWord = true;
      } else if (c == '\\' && !quoted && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (c == ' ' && !quoted) {
        if (inWord) words.add(word.toString());
        word.setLength(0);
        inWord = false;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) words.add(word.toString());
    return words;
  }
}
