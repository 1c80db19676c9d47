package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
  private static final String NL = System.lineSeparator();
  static final String LOGIN_MENU = String.join(NL,
      "------- SelectFTP User login Interface -------",
      "    1: Log in",
      "    2: Register",
      "    3: Exit",
      "");
  private static final String LOGIN_BANNER = "------- SelectFTP User login Interface -------";
  private static final String GOODBYE = "Exit SelectFTP. Goodbye.";
  private static final String PASSWORD_PROMPT = "Input your register password>>>: ";

  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();

  private ScriptedConsole menus(String... lines) {
    return ScriptedConsole.run(server.port(), List.of("--local-dir", localDir.toString()), lines);
  }

  @Test
  void theMenusShowABannerAndOneItemPerLineAsTheOriginalTool() {
    ScriptedConsole run = menus("1", "xiaoyu", "123456", "0");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.startsWith(LOGIN_MENU + NL + "Input your choice>>>: "), run.toString());
    assertTrue(out.contains(String.join(NL,
        "------[xiaoyu] operation command ------",
        "    1: Upload a file",
        "    2: Download a file",
        "    3: List the folder",
        "    4: Change directory",
        "    5: Print directory",
        "    6: Make directory",
        "    7: Delete",
        "    8: Rename",
        "    9: Quota",
        "    10: Help",
        "    11: Sign out",
        "    0: Exit",
        "",
        "Input your operation>>>: ")), run.toString());
  }

  @Test
  void loginThenListAndPrintDirectory() {
    ScriptedConsole run = menus("1", "xiaoyu", "123456", "3", "5", "0");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.contains("logged in as xiaoyu"), run.toString());
    assertTrue(out.lines().anyMatch(l -> l.endsWith("  welcome.txt")), run.toString());
    assertTrue(out.lines().anyMatch(l -> l.endsWith(": /")), run.toString());
  }

  @Test
  void badChoicesAreExplainedAndAskedAgain() {
    ScriptedConsole run = menus("abc", "7", "1", "xiaoyu", "123456", "12", "-1", "0");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.contains("'abc' is not a choice; enter a number from 1 to 3"), run.toString());
    assertTrue(out.contains("'7' is not a choice"), run.toString());
    assertTrue(out.contains("'12' is not a choice; enter a number from 0 to 11"), run.toString());
  }

  @Test
  void wrongPasswordShowsTheErrorAndTheLoginMenuAgain() {
    ScriptedConsole run = menus("1", "xiaoyu", "wrong", "1", "xiaoyu", "123456", "0");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("error: "), run.toString());
    assertTrue(run.out().contains("logged in as xiaoyu"), run.toString());
  }

  @Test
  void exitFromTheLoginMenuSaysGoodbyeAndEndsTheProgram() {
    ScriptedConsole run = menus("3", "1", "xiaoyu", "123456");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().endsWith(GOODBYE + NL), run.toString());
    assertFalse(run.out().contains("Input your login user name"), "nothing is read after exit: " + run);
  }

  @Test
  void signOutReturnsToTheLoginMenuWhereAnotherUserLogsIn() throws Exception {
    Files.writeString(localDir.resolve("a.txt"), "alpha");
    ScriptedConsole run = menus("1", "xiaoyu", "123456", "11",
        "2", "dora", "explorer", "explorer", "1", "1", "11", "3");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertEquals(3, count(out, LOGIN_BANNER), run.toString());
    assertEquals(2, count(out, "signed out"), run.toString());
    assertTrue(out.contains("------[dora] operation command ------"), run.toString());
    assertTrue(out.endsWith(GOODBYE + NL), run.toString());
    assertEquals("alpha", Files.readString(server.home("dora").resolve("a.txt")));
    assertFalse(Files.exists(server.home(LiveServer.DEMO_USER).resolve("a.txt")), run.toString());
  }

  @Test
  void registerAsksThePasswordTwiceThenLogsInTheNewUser() throws Exception {
    ScriptedConsole run = menus("2", "dora", "explorer", "explorer", "5", "0");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(2, count(run.out(), "password"), run.toString());
    assertTrue(run.out().contains("Input the password again>>>: "), run.toString());
    assertTrue(run.out().contains("registered dora"), run.toString());
    assertTrue(run.out().contains("logged in as dora"), run.toString());
    server.login("dora", "explorer".toCharArray()).close();
  }

  @Test
  void mismatchedPasswordsAreSaidAndAskedAgain() throws Exception {
    ScriptedConsole run = menus("2", "dora", "one", "two", "one", "one", "0");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(1, count(run.out(), "the two passwords differ; type them again"), run.toString());
    assertEquals(2, count(run.out(), PASSWORD_PROMPT), run.toString());
    server.login("dora", "one".toCharArray()).close();
  }

  @Test
  void threeMismatchesReturnToTheLoginMenuWithoutAnAccount() {
    ScriptedConsole run = menus("2", "dora", "a", "b", "c", "d", "e", "f", "3");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("no account made: the passwords did not match 3 times"), run.toString());
    assertEquals(2, count(run.out(), LOGIN_BANNER), run.toString());
    assertFalse(run.out().contains("registered"), run.toString());
    assertThrows(FtpException.class, () -> server.login("dora", "b".toCharArray()).close());
  }

  @Test
  void aBadUserNameIsRefusedBeforeAnyPasswordIsAsked() throws Exception {
    String tooLong = "a".repeat(33);
    ScriptedConsole run = menus("2", "-dash", "a/b", tooLong, "ok.name", "pw", "pw", "0");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertEquals(2, count(out, "error: user names use only A-Z a-z 0-9 _ - . and do not start with '.' or '-'"),
        run.toString());
    assertEquals(1, count(out, "error: user name is longer than 32 characters"), run.toString());
    assertEquals(1, count(out, PASSWORD_PROMPT), run.toString());
    assertTrue(out.indexOf(PASSWORD_PROMPT) > out.lastIndexOf("error: "), run.toString());
    assertTrue(out.contains("logged in as ok.name"), run.toString());
    assertFalse(Files.exists(server.home("-dash")), run.toString());
  }

  @Test
  void anEmptyUserNameGoesBackToTheLoginMenu() {
    ScriptedConsole run = menus("2", "", "3");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(2, count(run.out(), LOGIN_BANNER), run.toString());
    assertFalse(run.out().contains(PASSWORD_PROMPT), run.toString());
  }

  @Test
  void endOfInputAtAnyMenuExitsCleanly() {
    assertEquals(0, menus().exitCode());
    assertEquals(0, menus("1", "xiaoyu").exitCode());
    assertEquals(0, menus("2", "dora", "pw").exitCode());
    ScriptedConsole run = menus("1", "xiaoyu", "123456", "4");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("", run.err());
  }

  @Test
  void changeDirectoryOffersTheFoldersByNumberWithParentAndATypedPath() throws Exception {
    Files.writeString(localDir.resolve("a.txt"), "alpha");
    ScriptedConsole run = menus("1", "xiaoyu", "123456",
        "6", "beta", "6", "alpha",
        "4", "3",                    // root: 1 alpha, 2 beta, 3 notes, 4 type a path -> notes
        "4", "1",                    // in /notes: 1 .., 2 type a path -> back to /
        "4", "4", "beta",            // type a path
        "1", "1",                    // upload a.txt into /beta
        "4", "0",                    // back, still in /beta
        "5", "0");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.contains(String.join(NL, "---- folders in / ----", "    0: back", "    1: alpha",
        "    2: beta", "    3: notes", "    4: type a path", "Input folder number>>>: ")), run.toString());
    assertTrue(out.contains(String.join(NL, "---- folders in /notes ----", "    0: back", "    1: ..",
        "    2: type a path")), run.toString());
    assertTrue(out.contains("Input folder number>>>: /notes" + NL), run.toString());
    assertTrue(out.contains("Input folder number>>>: /" + NL), run.toString());
    assertTrue(out.contains("folder path: /beta" + NL), run.toString());
    assertTrue(out.contains("Input your operation>>>: /beta" + NL), "still in /beta after back: " + run);
    assertEquals("alpha", Files.readString(server.home(LiveServer.DEMO_USER).resolve("beta").resolve("a.txt")));
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
        "6", "sub", "4", "2",        // make and enter a folder (1 is the demo's notes)
        "1", "1",                    // upload a.txt into /sub
        "2", "1", "o",               // download a.txt back from /sub over the local one
        "0");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    assertTrue(out.contains("    1: a.txt" + NL + "    2: b.txt" + NL), run.toString());
    assertFalse(out.contains(": folder"), "folders are not offered for upload: " + out);
    assertTrue(out.contains("'9' is not a choice"), run.toString());
    assertTrue(out.contains("put b.txt: 5 B"), run.toString());
    assertTrue(out.contains("a.txt exists locally (5 B). [o]verwrite, [r]esume, [s]kip? "), run.toString());
    assertTrue(out.contains("get a.txt: 5 B"), run.toString());
    assertEquals("alpha", Files.readString(localDir.resolve("a.txt")));
    assertEquals("alpha", Files.readString(server.home(LiveServer.DEMO_USER).resolve("sub").resolve("a.txt")));
  }

  @Test
  void helpDescribesEveryItemOfTheMenuOnOneLine() {
    ScriptedConsole run = menus("1", "xiaoyu", "123456", "10", "0");
    assertEquals(0, run.exitCode(), run.toString());
    String out = run.out();
    String help = out.substring(out.indexOf("The operations menu; type an item's number:"));
    List<String> labels = List.of("1: Upload a file", "2: Download a file", "3: List the folder",
        "4: Change directory", "5: Print directory", "6: Make directory", "7: Delete", "8: Rename", "9: Quota",
        "10: Help", "11: Sign out", "0: Exit");
    for (String label : labels) {
      // One line per item: the label, then at least a few words saying what it does.
      assertTrue(help.lines().anyMatch(l -> l.strip().startsWith(label + " ")
          && l.substring(l.indexOf(label) + label.length()).strip().split(" ").length >= 3),
          "help lacks a line for " + label + ": " + run);
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) n++;
    return n;
  }
}
