package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.RecordingRelay;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code -c "cmd; cmd"} and {@code -f FILE}: commands in order over one login, stopping at the first failure. */
class ScriptTest {
  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();

  private ScriptedConsole script(String... options) {
    List<String> args = new ArrayList<>(List.of("-u", "xiaoyu", "-p", "123456", "--local-dir", localDir.toString()));
    args.addAll(List.of(options));
    return ScriptedConsole.run(server.port(), args);
  }

  private Path home() {
    return server.home(LiveServer.DEMO_USER);
  }

  @Test
  void commandsRunInOrderOverOneSession() throws Exception {
    Files.writeString(localDir.resolve("a.txt"), "alpha");
    ScriptedConsole run = script("-c", "mkdir d; cd d; put a.txt; ls");
    assertEquals(0, run.exitCode(), run.toString());
    // The put after the cd landed in d/: the same session, in the folder the cd chose.
    assertEquals("alpha", Files.readString(home().resolve("d").resolve("a.txt")));
    assertTrue(run.out().lines().anyMatch(l -> l.endsWith("  a.txt")), run.toString());
    assertEquals("", run.err());
  }

  @ParameterizedTest(name = "{1} ends the run with {0}")
  @CsvSource(delimiter = '|', value = {
      "1 | cd nowhere      | error: cd nowhere (command 2 of -c): ",
      "3 | put missing.bin | error: put missing.bin (command 2 of -c): no such local file",
      "1 | rm welcome.txt/x | error: rm welcome.txt/x (command 2 of -c): "})
  void scriptStopsAtFirstFailureWithItsExitCode(int exit, String failing, String errorStart) {
    ScriptedConsole run = script("-c", "mkdir before; " + failing + "; mkdir after");
    assertEquals(exit, run.exitCode(), run.toString());
    assertEquals(1, run.err().lines().count(), "one error line: " + run);
    assertTrue(run.err().startsWith(errorStart), run.toString());
    assertTrue(Files.isDirectory(home().resolve("before")), "the command before ran");
    assertFalse(Files.exists(home().resolve("after")), "nothing after the failure ran");
  }

  @Test
  void aMistakeAnywhereIsExitTwoBeforeAnythingRuns() {
    ScriptedConsole run = script("-c", "mkdir before; ls; frobnicate now; mkdir after");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("error: frobnicate now (command 3 of -c): unknown command"), run.toString());
    assertTrue(run.err().contains("nothing was run"), run.toString());
    assertFalse(Files.exists(home().resolve("before")), "checked before the first command ran");
  }

  @Test
  void semicolonInsideQuotesIsNotASeparator() {
    ScriptedConsole run = script("-c", "mkdir \"x;y\";mkdir \"say \\\"hi;\\\"\" ; ls");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(Files.isDirectory(home().resolve("x;y")), run.toString());
    assertTrue(Files.isDirectory(home().resolve("say \"hi;\"")), run.toString());
  }

  @Test
  void quitEndsTheScriptWithZero() {
    ScriptedConsole run = script("-c", "mkdir before; quit; cd nowhere");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(Files.isDirectory(home().resolve("before")));
  }

  @Test
  void scriptFileSkipsCommentsAndRunsOverOneLogin() throws Exception {
    Files.writeString(localDir.resolve("a.txt"), "alpha");
    Path file = Files.write(localDir.resolve("cmds.txt"), List.of(
        "# make a folder and fill it", "", "mkdir d", "   # indented comment", "cd d", "\t", "put a.txt",
        "mv a.txt b.txt", "ls"), StandardCharsets.UTF_8);
    try (RecordingRelay relay = new RecordingRelay(new InetSocketAddress("127.0.0.1", server.port()))) {
      List<String> args = List.of("-P", Integer.toString(relay.address().getPort()), "--no-tls", "-u", "xiaoyu",
          "-p", "123456", "--local-dir", localDir.toString(), "-f", file.toString());
      ScriptedConsole run = ScriptedConsole.exactly(args);
      assertEquals(0, run.exitCode(), run.toString());
      assertEquals("alpha", Files.readString(home().resolve("d").resolve("b.txt")));
      assertEquals(1, relay.connections(), "one connection for the whole file");
      String wire = new String(relay.recorded(), StandardCharsets.ISO_8859_1);
      assertEquals(1, wire.split("\"auth-start\"", -1).length - 1, "one login on the wire");
    }
  }

  @Test
  void scriptFileFailureNamesItsLine() throws Exception {
    Path file = Files.write(localDir.resolve("cmds.txt"), List.of("# first", "mkdir before", "cd nowhere",
        "mkdir after"), StandardCharsets.UTF_8);
    ScriptedConsole run = script("-f", file.toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("error: cd nowhere (line 3 of " + file + "): "), run.toString());
    assertFalse(Files.exists(home().resolve("after")));
  }

  @Test
  void scriptFromStdinWithDashRunsLikeAFile() {
    List<String> args = List.of("-u", "xiaoyu", "-p", "123456", "--local-dir", localDir.toString(), "-f", "-");
    ScriptedConsole run = ScriptedConsole.run(server.port(), args, "# from stdin", "mkdir before", "cd nowhere",
        "mkdir after");
    assertEquals(1, run.exitCode(), run.toString());
    assertFalse(run.out().contains(">>>"), run.toString());
    assertTrue(run.err().startsWith("error: cd nowhere (line 3 of the input): "), run.toString());
    assertTrue(Files.isDirectory(home().resolve("before")));
    assertFalse(Files.exists(home().resolve("after")));
  }

  @Test
  void missingScriptFileIsALocalFailureBeforeConnecting() {
    ScriptedConsole run = script("-f", localDir.resolve("nope.txt").toString());
    assertEquals(3, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("error: no such local file"), run.toString());
  }

  @Test
  void scriptOptionsMisusedAreUsageErrors() {
    assertEquals(2, script("-c", "ls", "-f", "x").exitCode());
    assertEquals(2, script("-c", "ls", "pwd").exitCode());
    ScriptedConsole noUser = ScriptedConsole.run(server.port(), List.of("-c", "ls"));
    assertEquals(2, noUser.exitCode(), noUser.toString());
    assertTrue(noUser.err().contains("-c needs -u USER"), noUser.toString());
  }

  @Test
  void wrongPasswordEndsTheScriptWithOne() {
    ScriptedConsole run = ScriptedConsole.run(server.port(),
        List.of("-u", "xiaoyu", "-p", "nope", "--local-dir", localDir.toString(), "-c", "mkdir after"));
    assertEquals(1, run.exitCode(), run.toString());
    assertFalse(Files.exists(home().resolve("after")));
  }
}
