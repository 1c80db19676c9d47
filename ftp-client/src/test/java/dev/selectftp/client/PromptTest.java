package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.testing.LiveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code [user] >>>} prompt, fed from a script as if commands were piped in. */
class PromptTest {
  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();

  private ScriptedConsole prompt(String... lines) {
    return ScriptedConsole.run(server.port(),
        List.of("-u", "xiaoyu", "-p", "123456", "--local-dir", localDir.toString()), lines);
  }

  @Test
  void promptRunsCommandsUntilQuit() {
    ScriptedConsole run = prompt("pwd", "mkdir \"my docs\"", "cd \"my docs\"", "pwd", "cd ..", "ls", "quit",
        "pwd");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.contains("[xiaoyu] >>> "), run.toString());
    assertTrue(out.contains("/my docs"), run.toString());
    // Piped input gets no newline after the prompt, so the first listing line follows it.
    assertTrue(out.lines().map(l -> l.replace("[xiaoyu] >>> ", ""))
        .anyMatch(l -> l.startsWith("d") && l.endsWith("  my docs")), run.toString());
    // "pwd" and "cd .." print "/"; the "pwd" after "quit" must not run.
    assertEquals(2, out.lines().filter(l -> l.equals("[xiaoyu] >>> /")).count(), run.toString());
  }

  @Test
  void endOfInputLeavesCleanly() {
    ScriptedConsole run = prompt("pwd");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("", run.err());
  }

  @Test
  void mistakesAndRefusalsAreReportedAndThePromptGoesOn() {
    ScriptedConsole run = prompt("bogus", "cd nowhere", "rm", "put \"unclosed", "pwd");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.contains("error: unknown command 'bogus'"), run.toString());
    assertTrue(out.contains("error: usage: rm PATH"), run.toString());
    assertTrue(out.contains("error: unclosed quote"), run.toString());
    assertEquals(4, out.lines().filter(l -> l.contains("error: ")).count(), run.toString());
    assertTrue(out.lines().anyMatch(l -> l.equals("[xiaoyu] >>> /")), "pwd still runs: " + out);
  }

  @Test
  void putGetRenameAndDeleteFromThePrompt() throws Exception {
    Files.writeString(localDir.resolve("a.txt"), "alpha");
    ScriptedConsole run = prompt("put a.txt", "mv a.txt b.txt", "get b.txt", "rm b.txt", "ls", "exit");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("alpha", Files.readString(localDir.resolve("b.txt")));
    assertTrue(run.out().contains("put a.txt: 5 B"), run.toString());
    assertTrue(run.out().contains("renamed a.txt to b.txt"), run.toString());
    assertTrue(run.out().contains("deleted b.txt"), run.toString());
  }

  @Test
  void helpListsTheCommands() {
    ScriptedConsole run = prompt("help");
    for (String command : List.of("ls", "cd", "pwd", "mkdir", "rm", "mv", "quota", "put", "get", "quit")) {
      assertTrue(run.out().contains("  " + command), command + " missing from " + run.out());
    }
  }

  @Test
  void quotaShowsUsedAndLimit() {
    ScriptedConsole run = prompt("quota");
    assertTrue(run.out().contains(" of 1.0 GiB used"), run.toString());
  }
}
