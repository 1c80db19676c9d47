package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.testing.LiveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code [user] >>>} prompt: commands piped in run as a script (no prompt text, the first failure ends
 * the run with its exit status); typed ones (a person at a terminal) are reported and the prompt goes on.
 */
class PromptTest {
  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();

  private List<String> demo() {
    return List.of("-u", "xiaoyu", "-p", "123456", "--local-dir", localDir.toString());
  }

  private ScriptedConsole piped(String... lines) {
    return ScriptedConsole.piped(server.port(), demo(), lines);
  }

  private ScriptedConsole typed(String... lines) {
    return ScriptedConsole.run(server.port(), demo(), lines);
  }

  @Test
  void pipedCommandsEchoNoPrompt() {
    ScriptedConsole run = piped("pwd", "mkdir \"my docs\"", "cd \"my docs\"", "pwd", "cd ..", "ls", "quit",
        "pwd");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertFalse(out.contains(">>>"), run.toString());
    assertFalse(out.contains("[xiaoyu]"), run.toString());
    assertTrue(out.lines().anyMatch(l -> l.equals("/my docs")), run.toString());
    assertTrue(out.lines().anyMatch(l -> l.startsWith("d") && l.endsWith("  my docs")), run.toString());
    // "pwd" and "cd .." print "/"; the "pwd" after "quit" must not run.
    assertEquals(2, out.lines().filter(l -> l.equals("/")).count(), run.toString());
    assertEquals("", run.err());
  }

  @Test
  void endOfInputLeavesCleanly() {
    ScriptedConsole run = piped("pwd");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("/" + System.lineSeparator(), run.out());
    assertEquals("", run.err());
  }

  @Test
  void pipedRefusalEndsTheRunWithExitOneAndNamesTheCommand() {
    ScriptedConsole run = piped("# a comment", "mkdir first", "", "cd nowhere", "mkdir after");
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals(1, run.err().lines().count(), run.toString());
    assertTrue(run.err().startsWith("error: cd nowhere (line 4 of the input): "), run.toString());
    assertTrue(Files.isDirectory(server.home("xiaoyu").resolve("first")), "the line before ran");
    assertFalse(Files.exists(server.home("xiaoyu").resolve("after")), "nothing after the failure ran");
  }

  @Test
  void pipedMistakeEndsTheRunWithExitTwo() {
    ScriptedConsole run = piped("mkdir first", "bogus", "mkdir after");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("error: bogus (line 2 of the input): unknown command"), run.toString());
    assertTrue(Files.isDirectory(server.home("xiaoyu").resolve("first")));
    assertFalse(Files.exists(server.home("xiaoyu").resolve("after")));
  }

  @Test
  void pipedLocalFailureEndsTheRunWithExitThree() {
    ScriptedConsole run = piped("put missing.bin", "mkdir after");
    assertEquals(3, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("error: put missing.bin (line 1 of the input): no such local file"),
        run.toString());
    assertFalse(Files.exists(server.home("xiaoyu").resolve("after")));
  }

  @Test
  void pipedPutOntoAnExistingNameAsksNothingAndIsRefused() throws Exception {
    Files.writeString(localDir.resolve("welcome.txt"), "mine");
    ScriptedConsole run = piped("put welcome.txt", "o", "mkdir after");
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("use --overwrite, --resume or --skip"), run.toString());
    assertFalse(run.out().contains("[o]verwrite"), "no question: " + run);
    assertFalse(Files.exists(server.home("xiaoyu").resolve("after")));
  }

  @Test
  void typedMistakesAndRefusalsAreReportedAndThePromptGoesOn() {
    ScriptedConsole run = typed("bogus", "cd nowhere", "rm", "put \"unclosed", "pwd");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.contains("[xiaoyu] >>> "), run.toString());
    assertTrue(out.contains("error: unknown command 'bogus'"), run.toString());
    assertTrue(out.contains("error: usage: rm PATH"), run.toString());
    assertTrue(out.contains("error: unclosed quote"), run.toString());
    assertEquals(4, out.lines().filter(l -> l.contains("error: ")).count(), run.toString());
    assertTrue(out.lines().anyMatch(l -> l.equals("[xiaoyu] >>> /")), "pwd still runs: " + out);
  }

  @Test
  void putGetRenameAndDeleteFromThePrompt() throws Exception {
    Files.writeString(localDir.resolve("a.txt"), "alpha");
    ScriptedConsole run = piped("put a.txt", "mv a.txt b.txt", "get b.txt", "rm b.txt", "ls", "exit");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("alpha", Files.readString(localDir.resolve("b.txt")));
    assertTrue(run.out().contains("put a.txt: 5 B"), run.toString());
    assertTrue(run.out().contains("renamed a.txt to b.txt"), run.toString());
    assertTrue(run.out().contains("deleted b.txt"), run.toString());
  }

  @Test
  void helpListsTheCommands() {
    ScriptedConsole run = piped("help");
    for (String command : List.of("ls", "cd", "pwd", "mkdir", "rm", "mv", "quota", "put", "get", "quit")) {
      assertTrue(run.out().contains("  " + command), command + " missing from " + run.out());
    }
  }

  @Test
  void quotaShowsUsedAndLimit() {
    ScriptedConsole run = piped("quota");
    assertTrue(run.out().contains(" of 1.0 GiB used"), run.toString());
  }
}
