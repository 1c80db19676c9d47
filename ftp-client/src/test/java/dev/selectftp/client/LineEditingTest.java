package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.testing.LiveServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompt on a real terminal: the client runs as its own process on a pseudo-terminal (Python's pty,
 * see pty-drive.py) against the real server, and keys are typed as a person would: arrows, Tab, Ctrl-R.
 * Piped input, by contrast, must stay plain.
 */
class LineEditingTest {
  private static final String PROMPT = "[xiaoyu] >>> ";
  private static final String UP = "\\x1b[A";
  private static final String CLEAR_LINE = "\\x15";

  @TempDir Path dir;
  @RegisterExtension final LiveServer server = new LiveServer();

  private record Run(String transcript, String status) {}

  private List<String> client() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path local = dir.resolve("local");
    return List.of(java, "-Duser.home=" + dir.resolve("home"), "-Dselectftp.logDir=" + dir.resolve("logs"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "-P", String.valueOf(server.port()),
        "-u", LiveServer.DEMO_USER, "--local-dir", local.toString());
  }

  private Run onTerminal(String... steps) throws Exception {
    assumeTrue(available("python3"), "python3 is needed for a pseudo-terminal");
    Files.createDirectories(dir.resolve("local"));
    Path driver = dir.resolve("pty-drive.py");
    try (var in = getClass().getResourceAsStream("/pty-drive.py")) {
      Files.copy(in, driver);
    }
    Path script = Files.write(dir.resolve("steps"), List.of(steps), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of("python3", driver.toString(), script.toString(), "--"));
    command.addAll(client());
    Process process = new ProcessBuilder(command).redirectError(dir.resolve("status").toFile()).start();
    String transcript = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the pty driver ended");
    return new Run(transcript, Files.readString(dir.resolve("status")).strip());
  }

  /** The transcript without terminal control sequences (JLine's redrawing). */
  private static String plain(String transcript) {
    return transcript.replaceAll("\u001b\\[[?0-9;$]*[A-Za-z@]|\u001b[=>]", "");
  }

  private static boolean available(String binary) {
    try {
      return new ProcessBuilder(binary, "--version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private Path history() {
    return dir.resolve("home/.selectftp/history");
  }

  @Test
  void upRecallsTheLastCommandAndCtrlRFindsAnOlderOne() throws Exception {
    Run run = onTerminal("expect password for xiaoyu: ", "send 123456\\r", "expect " + PROMPT,
        "send pwd\\r", "expect " + PROMPT, "send mkdir recalled\\r", "expect made folder recalled",
        "expect " + PROMPT, "send " + UP, "expect mkdir recalled",
        // Keys sent together are still read in order: Ctrl-U clears, Ctrl-R searches "pw", Enter runs it.
        "send " + CLEAR_LINE + "\\x12pw\\r", "expect " + PROMPT, "send quit\\r");
    assertEquals("exit=0", run.status(), run.transcript());
    // pwd ran twice: typed, then found again by Ctrl-R; Up brought back the mkdir line without printing ^[[A.
    assertEquals(2, plain(run.transcript()).lines().filter(line -> line.strip().equals("/")).count(),
        run.transcript());
    assertFalse(run.transcript().contains("unknown command"), run.transcript());
    assertFalse(run.transcript().contains("123456"), "the password is not echoed: " + run.transcript());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history())));
    String kept = Files.readString(history());
    assertTrue(kept.contains("pwd") && kept.contains("mkdir recalled") && kept.contains("quit"), kept);
    assertFalse(kept.contains("123456"), "the password never enters the history: " + kept);
  }

  @Test
  void tabCompletesCommandsRemoteNamesAndLocalNames() throws Exception {
    Files.createDirectories(dir.resolve("local"));
    Files.writeString(dir.resolve("local/lonely-local.txt"), "x");
    Run run = onTerminal("expect password for xiaoyu: ", "send 123456\\r", "expect " + PROMPT,
        "send pu\\t", "expect put ", "send lonely\\t", "expect lonely-local.txt",
        "send " + CLEAR_LINE + "cd no\\t", "expect notes/", "send \\r", "expect /notes",
        "send ls to\\t", "expect todo.md", "send " + CLEAR_LINE + "quit\\r");
    assertEquals("exit=0", run.status(), run.transcript());
  }

  @Test
  void tabCompletesTheManyFilesCommandsTheirFlagsAndLocalNamesAfterLcd() throws Exception {
    Files.createDirectories(dir.resolve("local/sub"));
    Files.writeString(dir.resolve("local/sub/deep-local.txt"), "x");
    Run run = onTerminal("expect password for xiaoyu: ", "send 123456\\r", "expect " + PROMPT,
        "send lcd sub\\r", "expect " + PROMPT, "send mpu\\t", "expect mput ", "send dee\\t",
        "expect deep-local.txt", "send " + CLEAR_LINE + "mirror -R --dr\\t", "expect --dry-run",
        "send " + CLEAR_LINE + "quit\\r");
    assertEquals("exit=0", run.status(), run.transcript());
  }

  @Test
  void ctrlCAtThePromptLeavesAsASignalWould() throws Exception {
    Run run = onTerminal("expect password for xiaoyu: ", "send 123456\\r", "expect " + PROMPT, "send pw\\x03");
    assertEquals("exit=130", run.status(), run.transcript());
  }

  @Test
  void pipedInputStaysPlainWithoutEditingOrHistory() throws Exception {
    Files.createDirectories(dir.resolve("local"));
    Process process = new ProcessBuilder(client()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    process.getOutputStream().write("123456\npwd\nquit\n".getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), out);
    // Only what pwd printed: no prompt text, no terminal control sequences, no echo, no history.
    assertEquals("/" + System.lineSeparator(), out);
    assertFalse(out.contains("\u001b"), out);
    assertFalse(out.contains("pwd"), out);
    assertFalse(Files.exists(history()), "no history file for piped input");
  }
}
