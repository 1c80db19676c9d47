package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.testing.LiveServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ftp-client -u USER -p PASSWORD COMMAND}: one command, an exit status, one error line. */
class OneShotTest {
  private static final List<String> DEMO = List.of("-u", "xiaoyu", "-p", "123456");

  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();

  private ScriptedConsole demo(String... command) {
    List<String> args = new java.util.ArrayList<>(DEMO);
    args.addAll(List.of("--local-dir", localDir.toString()));
    args.addAll(List.of(command));
    return ScriptedConsole.run(server.port(), args);
  }

  private static void assertOneErrorLine(ScriptedConsole run) {
    String err = run.err();
    assertTrue(err.startsWith("error: "), run.toString());
    assertEquals(1, err.lines().count(), run.toString());
  }

  @Test
  void lsPrintsTheHomeAndExitsZero() {
    ScriptedConsole run = demo("ls");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().lines().anyMatch(l -> l.startsWith("d") && l.endsWith("  notes")), run.toString());
    assertTrue(run.out().lines().anyMatch(l -> l.startsWith("-") && l.endsWith("  welcome.txt")), run.toString());
    assertEquals("", run.err());
  }

  @Test
  void wrongPasswordExitsOneWithOneErrorLine() {
    ScriptedConsole run = ScriptedConsole.run(server.port(), List.of("-u", "xiaoyu", "-p", "nope", "ls"));
    assertEquals(1, run.exitCode(), run.toString());
    assertOneErrorLine(run);
  }

  @Test
  void unknownCommandExitsTwo() {
    ScriptedConsole run = demo("frobnicate");
    assertEquals(2, run.exitCode(), run.toString());
    assertOneErrorLine(run);
  }

  @Test
  void missingArgumentExitsTwoWithTheUsage() {
    ScriptedConsole run = demo("rm");
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("error: usage: rm PATH", run.err().strip());
  }

  @Test
  void unknownFlagExitsTwo() {
    ScriptedConsole run = ScriptedConsole.run(server.port(), List.of("--frobnicate"));
    assertEquals(2, run.exitCode(), run.toString());
    assertOneErrorLine(run);
  }

  @Test
  void commandWithoutUserExitsTwo() {
    ScriptedConsole run = ScriptedConsole.run(server.port(), List.of("ls"));
    assertEquals(2, run.exitCode(), run.toString());
    assertOneErrorLine(run);
  }

  @Test
  void unreachableServerExitsThree() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    ScriptedConsole run = ScriptedConsole.run(closedPort, List.of("-u", "xiaoyu", "-p", "123456", "ls"));
    assertEquals(3, run.exitCode(), run.toString());
    assertOneErrorLine(run);
  }

  @Test
  void refusedCommandExitsOne() {
    ScriptedConsole run = demo("get", "no-such-file");
    assertEquals(1, run.exitCode(), run.toString());
    assertOneErrorLine(run);
  }

  @Test
  void registerCreatesAnAccountThatCanThenList() {
    ScriptedConsole register = ScriptedConsole.run(server.port(), List.of("-u", "bob", "-p", "pw", "register"));
    assertEquals(0, register.exitCode(), register.toString());
    assertTrue(register.out().contains("registered bob"), register.toString());
    ScriptedConsole ls = ScriptedConsole.run(server.port(), List.of("-u", "bob", "-p", "pw", "ls"));
    assertEquals(0, ls.exitCode(), ls.toString());
  }

  @Test
  void passwordIsAskedWhenOnlyTheUserIsGiven() {
    ScriptedConsole run = ScriptedConsole.run(server.port(), List.of("-u", "xiaoyu", "pwd"), "123456");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("password for xiaoyu: "), run.toString());
    assertTrue(run.out().lines().anyMatch(l -> l.endsWith("/")), run.toString());
  }

  @Test
  void putThenGetRoundTripPrintsTheHash() throws Exception {
    byte[] content = "hello, world\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(localDir.resolve("my file.txt"), content);
    ScriptedConsole put = demo("put", "my file.txt", "remote copy.txt");
    assertEquals(0, put.exitCode(), put.toString());
    String hash = "853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020";
    assertTrue(put.out().contains("sha256 " + hash), put.toString());

    ScriptedConsole get = demo("get", "remote copy.txt", "back.txt");
    assertEquals(0, get.exitCode(), get.toString());
    assertTrue(get.out().startsWith("get remote copy.txt: 13 B in "), get.toString());
    assertArrayEquals(content, Files.readAllBytes(localDir.resolve("back.txt")));
  }

  @Test
  void resumedDownloadSaysFromWhichByte() throws Exception {
    byte[] content = new byte[300_000];
    new java.util.Random(7).nextBytes(content);
    Files.write(localDir.resolve("r.bin"), content);
    assertEquals(0, demo("put", "r.bin").exitCode());
    Files.delete(localDir.resolve("r.bin"));
    Files.write(localDir.resolve(".r.bin.selectftp-part"), java.util.Arrays.copyOf(content, 100_000));

    ScriptedConsole get = demo("get", "r.bin");
    assertEquals(0, get.exitCode(), get.toString());
    assertTrue(get.out().contains("resumed from byte 100000"), get.toString());
    assertArrayEquals(content, Files.readAllBytes(localDir.resolve("r.bin")));
  }

  @Test
  void missingLocalFileExitsThree() {
    ScriptedConsole run = demo("put", "nothing-here.txt");
    assertEquals(3, run.exitCode(), run.toString());
    assertTrue(run.err().contains("nothing-here.txt"), run.toString());
  }

  @Test
  void helpListsOptionsModesCommandsFlagsAndExitCodes() {
    String help = ScriptedConsole.run(server.port(), List.of("--help")).out();
    for (String option : List.of("--server", "--port", "--user", "--password", "--local-dir", "--progress",
        "--timeout", "--help", "--version")) {
      assertTrue(help.contains(option), option + " missing from " + help);
    }
    for (String command : List.of("ls [PATH]", "cd PATH", "pwd", "mkdir PATH", "rm PATH", "mv FROM TO", "quota",
        "put FILE [REMOTE]", "get NAME [LOCAL]", "stats", "register")) {
      assertTrue(help.contains(command), command + " missing from " + help);
    }
    for (String text : List.of("Modes:", "menus", "prompt", "--overwrite", "--resume", "--skip", "Ctrl-C",
        "Exit status: 0", "1 refused", "2 usage", "3 connection", "130", "logs/client.log")) {
      assertTrue(help.contains(text), text + " missing from " + help);
    }
  }

  /** Every failure: a non-zero exit, exactly one {@code error:} line on stderr, no stack trace, nothing more. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "ls", "--frobnicate", "--timeout x", "-u", "-u xiaoyu -p nope ls", "-u xiaoyu -p 123456 frobnicate",
      "-u xiaoyu -p 123456 rm", "-u xiaoyu -p 123456 mv a", "-u xiaoyu -p 123456 get no-such-file",
      "-u xiaoyu -p 123456 cd nowhere", "-u xiaoyu -p 123456 mkdir notes", "-u xiaoyu -p 123456 put missing.txt",
      "-u xiaoyu -p 123456 put a-folder", "-u xiaoyu -p 123456 put here.txt welcome.txt",
      "-u xiaoyu -p 123456 put here.txt --force", "-u xiaoyu -p 123456 register extra", "-u xiaoyu ls",
      "-u xiaoyu -p 123456 --local-dir /no/such/folder ls", "-u xiaoyu -p 123456 put \"unclosed"})
  void everyErrorIsOneLineWithoutAStackTrace(String words) throws Exception {
    Files.createDirectories(localDir.resolve("a-folder"));
    Files.writeString(localDir.resolve("here.txt"), "here");
    List<String> args = new java.util.ArrayList<>();
    if (!words.contains("--local-dir")) args.addAll(List.of("--local-dir", localDir.toString()));
    args.addAll(List.of(words.split(" ")));
    ScriptedConsole run = ScriptedConsole.run(server.port(), args);
    assertTrue(run.exitCode() > 0, run.toString());
    assertOneErrorLine(run);
    assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.toString());
  }

  @Test
  void helpAndVersionExitZero() {
    ScriptedConsole help = ScriptedConsole.run(server.port(), List.of("--help"));
    assertEquals(0, help.exitCode(), help.toString());
    assertTrue(help.out().contains("--local-dir"), help.toString());
    assertEquals(0, ScriptedConsole.run(server.port(), List.of("--version")).exitCode());
  }
}
