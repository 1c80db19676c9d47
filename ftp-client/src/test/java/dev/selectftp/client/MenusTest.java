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

/** The numbered menus (no {@code -u}), driven by scripted input. */
class MenusTest {
  private static final String LOGIN_MENU = "1. Log in  2. Register  3. Exit";

  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();

  private ScriptedConsole menus(String... lines) {
    return ScriptedConsole.run(server.port(), List.of("--local-dir", localDir.toString()), lines);
  }

  @Test
  void loginThenListAndPrintDirectory() {
    ScriptedConsole run = menus("1", "xiaoyu", "123456", "3", "5", "0");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.startsWith(LOGIN_MENU), run.toString());
    assertTrue(out.contains("logged in as xiaoyu"), run.toString());
    assertTrue(out.contains("1. Upload  2. Download"), run.toString());
    assertTrue(out.lines().anyMatch(l -> l.endsWith("  welcome.txt")), run.toString());
    assertTrue(out.lines().anyMatch(l -> l.endsWith(": /")), run.toString());
  }

  @Test
  void badChoicesAreExplainedAndAskedAgain() {
    ScriptedConsole run = menus("abc", "7", "1", "xiaoyu", "123456", "11", "-1", "0");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.contains("'abc' is not a choice; enter a number from 1 to 3"), run.toString());
    assertTrue(out.contains("'7' is not a choice"), run.toString());
    assertTrue(out.contains("'11' is not a choice; enter a number from 0 to 10"), run.toString());
  }

  @Test
  void wrongPasswordShowsTheErrorAndTheLoginMenuAgain() {
    ScriptedConsole run = menus("1", "xiaoyu", "wrong", "1", "xiaoyu", "123456", "0");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("error: "), run.toString());
    assertTrue(run.out().contains("logged in as xiaoyu"), run.toString());
  }

  @Test
  void registerLogsInTheNewUser() {
    ScriptedConsole run = menus("2", "dora", "explorer", "5", "0");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("registered dora"), run.toString());
    assertTrue(run.out().contains("logged in as dora"), run.toString());
  }

  @Test
  void endOfInputAtAnyMenuExitsCleanly() {
    assertEquals(0, menus().exitCode());
    assertEquals(0, menus("1", "xiaoyu").exitCode());
    ScriptedConsole run = menus("1", "xiaoyu", "123456", "4");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("", run.err());
  }

  @Test
  void uploadPicksALocalFileByNumberAndDownloadPicksARemoteOne() throws Exception {
    Files.writeString(localDir.resolve("b.txt"), "bravo");
    Files.writeString(localDir.resolve("a.txt"), "alpha");
    Files.createDirectory(localDir.resolve("folder"));
    ScriptedConsole run = menus("1", "xiaoyu", "123456",
        "1", "9", "x", "2",          // upload: out of range, not a number, then b.txt
        "7", "welcome.txt",          // delete the demo file so the remote list is predictable
        "2", "0",                    // download menu, back
        "6", "sub", "4", "sub",      // make and enter a folder
        "1", "1",                    // upload a.txt into /sub
        "2", "1", "o",               // download a.txt back from /sub over the local one
        "0");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.contains("  1. a.txt\n  2. b.txt\n"), run.toString());
    assertFalse(out.contains(". folder"), "folders are not offered for upload: " + out);
    assertTrue(out.contains("'9' is not a choice"), run.toString());
    assertTrue(out.contains("put b.txt: 5 B"), run.toString());
    assertTrue(out.contains("a.txt exists locally (5 B). [o]verwrite, [r]esume, [s]kip? "), run.toString());
    assertTrue(out.contains("get a.txt: 5 B"), run.toString());
    assertEquals("alpha", Files.readString(localDir.resolve("a.txt")));
  }

  @Test
  void helpExplainsTheMenu() {
    ScriptedConsole run = menus("1", "xiaoyu", "123456", "10", "0");
    assertTrue(run.out().contains("0 leaves"), run.toString());
  }
}
