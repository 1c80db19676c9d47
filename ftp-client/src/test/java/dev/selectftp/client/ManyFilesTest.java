package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** lcd, lls, lpwd, mput, mget, put -r and get -r, driven through the console against the real server. */
class ManyFilesTest {
  private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));

  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();

  private Path home() {
    return server.home(LiveServer.DEMO_USER);
  }

  private ScriptedConsole prompt(String... lines) {
    return ScriptedConsole.prompt(server.port(), localDir, lines);
  }


  private ScriptedConsole oneShot(String... command) {
    return ScriptedConsole.oneShot(server.port(), localDir, command);
  }


  @Test
  void lcdChangesWhereGetWrites() throws Exception {
    Files.createDirectories(localDir.resolve("inbox"));
    ScriptedConsole run = prompt("lcd inbox", "lpwd", "get welcome.txt", "lcd ..", "lpwd");
    assertEquals(0, run.exitCode(), run.toString());
    Path inbox = localDir.resolve("inbox").toAbsolutePath().normalize();
    assertTrue(Files.exists(inbox.resolve("welcome.txt")), run.toString());
    assertFalse(Files.exists(localDir.resolve("welcome.txt")), "written in the new local folder only");
    assertTrue(run.out().contains(">>> " + inbox + "\n"), run.toString());
    assertEquals(2, run.out().lines().filter(l -> l.endsWith(">>> " + localDir.toAbsolutePath().normalize())).count(),
        "lcd .. and lpwd print the first folder: " + run);
  }

  @Test
  void lcdToAFolderThatIsNotThereIsAnErrorAndTheLocalFolderStays() throws Exception {
    Files.writeString(localDir.resolve("plain.txt"), "x");
    ScriptedConsole run = prompt("lcd nowhere", "lcd plain.txt", "lpwd");
    assertTrue(run.out().contains("error: no such local file: "), run.toString());
    assertTrue(run.out().contains("error: not a local folder: "), run.toString());
    assertTrue(run.out().endsWith(">>> " + localDir.toAbsolutePath().normalize() + "\n[xiaoyu] >>> "), run.toString());
  }

  @Test
  void llsListsLocalNamesLikeLsAndLeavesPartialsOut() throws Exception {
    Files.writeString(localDir.resolve("a.txt"), "12345");
    Files.createDirectories(localDir.resolve("photos"));
    Files.writeString(localDir.resolve(".big.iso" + TestFiles.PARTIAL_SUFFIX), "partial");
    ScriptedConsole run = prompt("lls");
    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.out().lines().map(l -> l.replace("[xiaoyu] >>> ", "")).filter(l -> !l.isEmpty()).toList();
    assertTrue(lines.get(0).startsWith("d") && lines.get(0).endsWith("  photos"), run.toString());
    assertTrue(lines.get(1).startsWith("-") && lines.get(1).contains("5 B") && lines.get(1).endsWith("  a.txt"),
        run.toString());
    assertFalse(run.out().contains("selectftp-part"), run.toString());
  }

  @Test
  void mgetGlobFetchesOnlyMatchingNames() throws Exception {
    Files.writeString(home().resolve("a.txt"), "alpha");
    Files.writeString(home().resolve("b.txt"), "beta");
    Files.writeString(home().resolve("c.bin"), "gamma");
    Files.writeString(home().resolve("notes/d.txt"), "delta");
    ScriptedConsole run = oneShot("mget", "*.txt", "notes/*.txt");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("alpha", Files.readString(localDir.resolve("a.txt")));
    assertEquals("beta", Files.readString(localDir.resolve("b.txt")));
    assertEquals("delta", Files.readString(localDir.resolve("d.txt")));
    assertTrue(Files.exists(localDir.resolve("welcome.txt")), "the demo's welcome.txt matches *.txt too");
    assertFalse(Files.exists(localDir.resolve("c.bin")), run.toString());
    assertFalse(Files.exists(localDir.resolve("notes")), "folders are not globbed into");
  }

  @Test
  void mgetOfAGlobThatMatchesNothingIsAClearErrorWithExit1() {
    ScriptedConsole run = oneShot("mget", "*.xyz");
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("error: no remote file matches *.xyz\n", run.err(), run.toString());
  }

  @Test
  void mputGlobUploadsOnlyMatchingLocalFiles() throws Exception {
    Files.writeString(localDir.resolve("x1.log"), "one");
    Files.writeString(localDir.resolve("x2.log"), "two");
    Files.writeString(localDir.resolve("y.txt"), "why");
    ScriptedConsole run = oneShot("mput", "*.log");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("one", Files.readString(home().resolve("x1.log")));
    assertEquals("two", Files.readString(home().resolve("x2.log")));
    assertFalse(Files.exists(home().resolve("y.txt")));
    assertTrue(run.out().contains("put x1.log: 3 B") && run.out().contains("put x2.log: 3 B"), run.toString());
  }

  @Test
  void mputOntoAnExistingNameInOneShotMovesTheOthersThenExits1() throws Exception {
    Files.writeString(localDir.resolve("x1.log"), "new one");
    Files.writeString(localDir.resolve("x2.log"), "two");
    Files.writeString(home().resolve("x1.log"), "old");
    Files.setLastModifiedTime(home().resolve("x1.log"), LONG_AGO);
    ScriptedConsole run = oneShot("mput", "*.log");
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("old", Files.readString(home().resolve("x1.log")));
    assertEquals(LONG_AGO, Files.getLastModifiedTime(home().resolve("x1.log")));
    assertEquals("two", Files.readString(home().resolve("x2.log")), "the other file still moved");
    assertTrue(run.out().contains("error: x1.log exists on the server; use --overwrite, --resume or --skip"),
        run.toString());
    assertEquals("error: 1 of 2 files and patterns failed\n", run.err(), run.toString());

    ScriptedConsole again = oneShot("mput", "*.log", "--overwrite");
    assertEquals(0, again.exitCode(), again.toString());
    assertEquals("new one", Files.readString(home().resolve("x1.log")));
  }

  @Test
  void putRecursiveRecreatesTheTree() throws Exception {
    Path tree = localDir.resolve("tree");
    Files.createDirectories(tree.resolve("sub/deeper"));
    Files.createDirectories(tree.resolve("empty"));
    byte[] a = TestFiles.writeRandom(tree.resolve("a.bin"), 1, 70_000);
    byte[] b = TestFiles.writeRandom(tree.resolve("sub/b.bin"), 2, 1_000);
    byte[] c = TestFiles.writeRandom(tree.resolve("sub/deeper/c.bin"), 3, 0);
    ScriptedConsole run = oneShot("put", "-r", "tree", "backup/tree");
    assertEquals(0, run.exitCode(), run.toString());
    Path remote = home().resolve("backup/tree");
    assertArrayEquals(a, Files.readAllBytes(remote.resolve("a.bin")));
    assertArrayEquals(b, Files.readAllBytes(remote.resolve("sub/b.bin")));
    assertArrayEquals(c, Files.readAllBytes(remote.resolve("sub/deeper/c.bin")));
    assertTrue(Files.isDirectory(remote.resolve("empty")), "an empty folder is made too");
    assertTrue(run.out().contains("put -r tree: 3 files to backup/tree"), run.toString());
  }

  @Test
  void getRecursiveRecreatesTheTreeUnderItsOwnName() throws Exception {
    Path docs = home().resolve("docs");
    Files.createDirectories(docs.resolve("x/y"));
    Files.createDirectories(docs.resolve("nothing-here"));
    byte[] one = TestFiles.writeRandom(docs.resolve("one.bin"), 4, 5_000);
    byte[] two = TestFiles.writeRandom(docs.resolve("x/y/two.bin"), 5, 123);
    ScriptedConsole run = prompt("get -r docs");
    assertEquals(0, run.exitCode(), run.toString());
    assertArrayEquals(one, Files.readAllBytes(localDir.resolve("docs/one.bin")));
    assertArrayEquals(two, Files.readAllBytes(localDir.resolve("docs/x/y/two.bin")));
    assertTrue(Files.isDirectory(localDir.resolve("docs/nothing-here")));
    assertTrue(run.out().contains("get -r docs: 2 files to docs"), run.toString());
  }

  @Test
  void putRecursiveOfAFileIsAnErrorNamingIt() throws Exception {
    Files.writeString(localDir.resolve("plain.txt"), "x");
    ScriptedConsole run = oneShot("put", "-r", "plain.txt");
    assertEquals(3, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("error: not a local folder: ") && run.err().contains("plain.txt"), run.toString());
  }

  @Test
  void helpAtThePromptAndTheProgramsFooterNameTheNewCommands() {
    String help = prompt("help").out();
    String footer = ScriptedConsole.run(server.port(), List.of("--help")).out();
    for (String command : List.of("lcd DIR", "lls [DIR]", "lpwd", "mput GLOB...", "mget GLOB...", "put -r DIR",
        "get -r DIR", "mirror REMOTE [LOCAL]", "mirror -R LOCAL [REMOTE]", "--delete", "--dry-run")) {
      assertTrue(help.contains(command), command + " missing from help: " + help);
      assertTrue(footer.contains(command), command + " missing from --help: " + footer);
    }
  }

  @Test
  void wrongFlagsAreUsageErrorsBeforeAnythingIsSent() {
    ScriptedConsole run = oneShot("mirror", "--everything", "docs");
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("error: unknown option --everything; usage: mirror [-R] [--dry-run] [--delete] SOURCE [TARGET]\n",
        run.err());
    assertEquals(2, oneShot("mget", "*.txt", "--overwrite", "--skip").exitCode());
    assertEquals(2, oneShot("mirror").exitCode());
  }
}
