package dev.selectftp.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.accounts.UserStore;
import dev.selectftp.common.Sizes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandsTest {
  @TempDir
  Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  private Map<String, User> users() throws IOException {
    return new UserStore(data()).load();
  }

  private static void assertOneLineError(Cli.Result r, int code, String containing) {
    assertEquals(code, r.code(), r::toString);
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, r::toString);
    assertTrue(lines[0].startsWith("error: "), r::toString);
    assertTrue(lines[0].contains(containing), r::toString);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
  }

  private void add(String name, String password) {
    Cli.Result r = Cli.user(data(), password + "\n", "add", name);
    assertEquals(0, r.code(), r::toString);
  }

  @Test
  void addReadsOnePasswordLineFromPipedStdinAndCreatesHome() throws Exception {
    Cli.Result r = Cli.user(data(), "correct horse\n", "add", "bob");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("added user bob"), r::toString);
    assertTrue(r.out().contains("1 GiB"), r::toString);
    User bob = users().get("bob");
    assertEquals(1L << 30, bob.quotaBytes());
    assertEquals(ScramCredentials.MIN_ITERATIONS, bob.credentials().iterations());
    assertTrue(Cli.accepts(bob.credentials(), "bob", "correct horse"));
    assertFalse(Cli.accepts(bob.credentials(), "bob", "correct horse\n"));
    assertTrue(Files.isDirectory(data().resolve("home").resolve("bob")));
    assertFalse(r.out().contains("correct horse") || r.err().contains("correct horse"), "never echoed");
  }

  @Test
  void addAcceptsWindowsLineEndingAndQuota() throws Exception {
    Cli.Result r = Cli.user(data(), "pw\r\n", "add", "carol", "--quota", "5MiB");
    assertEquals(0, r.code(), r::toString);
    User carol = users().get("carol");
    assertEquals(5L << 20, carol.quotaBytes());
    assertTrue(Cli.accepts(carol.credentials(), "carol", "pw"));
  }

  @Test
  void addUsesDefaultQuotaAndIterationsFromFlags() throws Exception {
    Cli.Result r = Cli.user(data(), "pw\n", "add", "dave", "--default-quota", "2GiB");
    assertEquals(0, r.code(), r::toString);
    assertEquals(2L << 30, users().get("dave").quotaBytes());
  }

  @Test
  void addRefusesExistingNameInAnyLetterCase() throws Exception {
    add("bob", "one");
    ScramCredentials before = users().get("bob").credentials();
    assertOneLineError(Cli.user(data(), "two\n", "add", "bob"), 1, "already exists");
    assertOneLineError(Cli.user(data(), "two\n", "add", "BOB"), 1, "already exists");
    assertEquals(before, users().get("bob").credentials());
    assertEquals(1, users().size());
  }

  @Test
  void addRefusesMissingOrEmptyPasswordAndChangesNothing() throws Exception {
    assertOneLineError(Cli.user(data(), "", "add", "bob"), 1, "no password on standard input");
    assertOneLineError(Cli.user(data(), "\n", "add", "bob"), 1, "must not be empty");
    assertTrue(users().isEmpty());
  }

  @Test
  void addUsageErrors() {
    assertOneLineError(Cli.user(data(), "pw\n", "add", "../etc"), 2, "user names use only");
    assertOneLineError(Cli.user(data(), "pw\n", "add", "bob", "--quota", "lots"), 2, "--quota: not a size");
    assertOneLineError(Cli.user(data(), "pw\n", "add", "bob", "--quota", "5XB"), 2, "unknown size unit");
    assertOneLineError(Cli.user(data(), "pw\n", "add"), 2, "NAME");
    assertOneLineError(Cli.user(data(), "pw\n", "add", "bob", "--iterations", "10"), 2, "--iterations");
    assertFalse(Files.exists(data().resolve(UserStore.FILE_NAME)));
  }

  @Test
  void interactiveAddAsksTwiceWithoutEchoAndRefusesMismatch() throws Exception {
    String d = data().toString();
    Cli.Result mismatch = Cli.interactive(List.of("secret", "secreT"), "user", "add", "eve", "--data", d,
        "--iterations", Cli.FAST);
    assertOneLineError(mismatch, 1, "do not match");
    Files.createDirectories(data());
    assertFalse(users().containsKey("eve"));

    Cli.Result ok = Cli.interactive(List.of("secret", "secret"), "user", "add", "eve", "--data", d,
        "--iterations", Cli.FAST);
    assertEquals(0, ok.code(), ok::toString);
    assertTrue(Cli.accepts(users().get("eve").credentials(), "eve", "secret"));
    assertFalse(ok.out().contains("secret"));
  }

  @Test
  void passwdReplacesCredentials() throws Exception {
    add("bob", "old");
    Cli.Result r = Cli.user(data(), "new\n", "passwd", "bob");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("password of bob changed"), r::toString);
    ScramCredentials c = users().get("bob").credentials();
    assertTrue(Cli.accepts(c, "bob", "new"));
    assertFalse(Cli.accepts(c, "bob", "old"));
  }

  @Test
  void passwdRefusals() throws Exception {
    add("bob", "old");
    assertOneLineError(Cli.user(data(), "new\n", "passwd", "alice"), 1, "no such user: alice");
    assertOneLineError(Cli.user(data(), "new\n", "passwd", "Bob"), 1, "did you mean bob?");
    assertOneLineError(Cli.user(data(), "", "passwd", "bob"), 1, "no password");
    assertTrue(Cli.accepts(users().get("bob").credentials(), "bob", "old"));
    Cli.Result mismatch = Cli.interactive(List.of("a", "b"), "user", "passwd", "bob", "--data", data().toString(),
        "--iterations", Cli.FAST);
    assertOneLineError(mismatch, 1, "do not match");
    assertTrue(Cli.accepts(users().get("bob").credentials(), "bob", "old"));
  }

  @Test
  void quotaSetsLimit() throws Exception {
    add("bob", "pw");
    Cli.Result r = Cli.user(data(), "", "quota", "bob", "4GiB");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("quota of bob is now 4 GiB"), r::toString);
    assertEquals(4L << 30, users().get("bob").quotaBytes());
    assertEquals(0, Cli.user(data(), "", "quota", "bob", "10MB").code());
    assertEquals(10_000_000L, users().get("bob").quotaBytes());
  }

  @Test
  void quotaSaysWhenAlreadyOver() throws Exception {
    add("bob", "pw");
    Files.write(data().resolve("home/bob/big.bin"), new byte[5000]);
    Cli.Result r = Cli.user(data(), "", "quota", "bob", "1k");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("already over it"), r::toString);
  }

  @Test
  void quotaRefusals() throws Exception {
    add("bob", "pw");
    assertOneLineError(Cli.user(data(), "", "quota", "bob", "huge"), 2, "not a size");
    assertOneLineError(Cli.user(data(), "", "quota", "bob", "-5"), 2, "not a size");
    assertOneLineError(Cli.user(data(), "", "quota", "alice", "1GiB"), 1, "no such user");
    assertOneLineError(Cli.user(data(), "", "quota", "bob"), 2, "SIZE");
    assertEquals(1L << 30, users().get("bob").quotaBytes());
  }

  @Test
  void listShowsNameQuotaAndUsedAligned() throws Exception {
    add("bob", "pw");
    add("alice", "pw");
    assertEquals(0, Cli.user(data(), "", "quota", "alice", "500MiB").code());
    Path home = data().resolve("home/bob");
    Files.createDirectories(home.resolve("docs"));
    Files.write(home.resolve("docs/a.bin"), new byte[3000]);
    Files.write(home.resolve("b.bin"), new byte[2000]);
    Files.write(home.resolve(".c.bin.selectftp-part"), new byte[100]); // partials count too

    Cli.Result r = Cli.user(data(), "", "list");
    assertEquals(0, r.code(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r::toString);
    assertEquals(List.of("NAME", "QUOTA", "USED"), List.of(lines.get(0).trim().split("\\s+")));
    assertTrue(lines.get(1).startsWith("alice"), r::toString);
    assertTrue(lines.get(1).contains(Sizes.format(500L << 20)), r::toString);
    assertTrue(lines.get(1).endsWith(" 0 B"), r::toString);
    assertTrue(lines.get(2).startsWith("bob"), r::toString);
    assertTrue(lines.get(2).contains("1 GiB"), r::toString);
    assertTrue(lines.get(2).endsWith(Sizes.format(5100)), r::toString);
    assertEquals(lines.get(0).length(), lines.get(1).length(), "right-aligned columns:\n" + r.out());
    assertEquals(lines.get(0).length(), lines.get(2).length(), "right-aligned columns:\n" + r.out());

    Cli.Result exact = Cli.user(data(), "", "list", "--bytes");
    assertTrue(exact.out().lines().anyMatch(l -> l.matches("bob\\s+1073741824\\s+5100")), exact::toString);
  }

  @Test
  void listNeverCreatesHomes() throws Exception {
    add("bob", "pw");
    Path home = data().resolve("home/bob");
    Files.delete(home);
    Cli.Result r = Cli.user(data(), "", "list");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("bob") && l.endsWith(" 0 B")), r::toString);
    assertFalse(Files.exists(home));
  }

  @Test
  void listOfEmptyAndMissingDataFolder() throws Exception {
    assertOneLineError(Cli.user(data(), "", "list"), 1, "no users file");
    Accounts.open(data(), 1, ScramCredentials.MIN_ITERATIONS).remove("nobody");
    Files.writeString(data().resolve(UserStore.FILE_NAME), "{\"version\":1,\"users\":[]}");
    Cli.Result r = Cli.user(data(), "", "list");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith("no users in"), r::toString);
  }

  @Test
  void corruptUsersFileIsAnIoErrorWithOneLine() throws Exception {
    Files.createDirectories(data());
    Files.writeString(data().resolve(UserStore.FILE_NAME), "{not json");
    assertOneLineError(Cli.user(data(), "", "list"), 3, "is corrupt");
  }

  @Test
  void removeAsksAndDeletesHomeOnYes() throws Exception {
    add("bob", "pw");
    Files.write(data().resolve("home/bob/f.txt"), "x".getBytes(StandardCharsets.UTF_8));
    Cli.Result r = Cli.user(data(), "y\n", "remove", "bob");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.err().contains("delete home folder"), "asked: " + r);
    assertTrue(r.err().contains("[y/N]"), "asked: " + r);
    assertFalse(users().containsKey("bob"));
    assertFalse(Files.exists(data().resolve("home/bob")));
  }

  @Test
  void removeKeepsHomeOnNoOrEndOfInput() throws Exception {
    add("bob", "pw");
    add("carol", "pw");
    assertEquals(0, Cli.user(data(), "n\n", "remove", "bob").code());
    assertEquals(0, Cli.user(data(), "", "remove", "carol").code());
    assertTrue(users().isEmpty());
    assertFalse(Files.exists(data().resolve("home/bob")), "no later registrant of the name may see the files");
    assertEquals(1, retired("bob").size());
    assertEquals(1, retired("carol").size());
  }

  /** The folders a removal of {@code name} left in data/removed. */
  private List<Path> retired(String name) throws IOException {
    Path removed = data().resolve("removed");
    if (!Files.isDirectory(removed)) return List.of();
    try (var s = Files.list(removed)) {
      return s.filter(p -> p.getFileName().toString().startsWith(name + "-")).toList();
    }
  }

  @Test
  void removeFlagsAnswerForScripts() throws Exception {
    add("bob", "pw");
    add("carol", "pw");
    Path outside = dir.resolve("outside.txt");
    Files.writeString(outside, "keep me");
    try {
      Files.createSymbolicLink(data().resolve("home/bob/link"), outside);
    } catch (UnsupportedOperationException | IOException e) {
      // no symlinks here; the rest of the test still holds
    }
    Cli.Result del = Cli.user(data(), "n\n", "remove", "bob", "--delete-home");
    assertEquals(0, del.code(), del::toString);
    assertFalse(del.err().contains("[y/N]"), "no question with a flag");
    assertFalse(Files.exists(data().resolve("home/bob")));
    assertTrue(retired("bob").isEmpty(), "deleted, not kept");
    assertEquals("keep me", Files.readString(outside), "symlink removed, target untouched");

    Files.writeString(data().resolve("home/carol/note.txt"), "mine");
    Cli.Result keep = Cli.user(data(), "y\n", "remove", "carol", "--keep-home");
    assertEquals(0, keep.code(), keep::toString);
    assertFalse(Files.exists(data().resolve("home/carol")));
    assertEquals("mine", Files.readString(retired("carol").get(0).resolve("note.txt")));
    assertTrue(keep.out().contains("removed"), keep::toString);
    assertTrue(users().isEmpty());
  }

  @Test
  void removeRefusals() throws Exception {
    add("bob", "pw");
    assertOneLineError(Cli.user(data(), "", "remove", "alice"), 1, "no such user");
    assertOneLineError(Cli.user(data(), "", "remove", "bob", "--keep-home", "--delete-home"), 2, "mutually exclusive");
    assertTrue(users().containsKey("bob"));
  }

  @Test
  void interactiveRemoveAsks() throws Exception {
    add("bob", "pw");
    Cli.Result r = Cli.interactive(List.of("yes"), "user", "remove", "bob", "--data", data().toString());
    assertEquals(0, r.code(), r::toString);
    assertFalse(Files.exists(data().resolve("home/bob")));
  }

  @Test
  void userCommandsReadTheConfigFileAndServerFlagsBeforeUser() throws Exception {
    Path conf = dir.resolve("server.properties");
    Files.writeString(conf, "# test\ndata = data\niterations = " + Cli.FAST + "\ndefault-quota = 3MiB\nport = 2121\n");
    Cli.Result r = Cli.run("pw\n", "user", "add", "bob", "--config", conf.toString());
    assertEquals(0, r.code(), r::toString);
    assertEquals(3L << 20, users().get("bob").quotaBytes());
    assertEquals(ScramCredentials.MIN_ITERATIONS, users().get("bob").credentials().iterations());

    // server-level flags before "user" work too, and the subcommand's own flags win over them
    Cli.Result r2 = Cli.run("pw\n", "--config", conf.toString(), "--default-quota", "7MiB", "user", "add", "carol");
    assertEquals(0, r2.code(), r2::toString);
    assertEquals(7L << 20, users().get("carol").quotaBytes());
    Cli.Result r3 = Cli.run("pw\n", "--default-quota", "7MiB", "user", "add", "dan", "--config", conf.toString(),
        "--default-quota", "9MiB");
    assertEquals(0, r3.code(), r3::toString);
    assertEquals(9L << 20, users().get("dan").quotaBytes());

    Files.writeString(conf, "data = data\ndefault_quota = 1GiB\n");
    assertOneLineError(Cli.run("", "user", "list", "--config", conf.toString()), 2, "did you mean \"default-quota\"");
  }

  @Test
  void userWithoutSubcommandAndHelp() {
    Cli.Result none = Cli.run("", "user");
    assertOneLineError(none, 2, "subcommand");
    Cli.Result help = Cli.run("", "user", "--help");
    assertEquals(0, help.code());
    for (String sub : List.of("add", "passwd", "quota", "list", "remove")) {
      assertTrue(help.out().contains(sub), help::toString);
    }
    Cli.Result addHelp = Cli.run("", "user", "add", "--help");
    assertEquals(0, addHelp.code());
    assertTrue(addHelp.out().contains("--quota"), addHelp::toString);
    assertTrue(addHelp.out().contains("--data"), addHelp::toString);
    assertTrue(addHelp.out().contains("--config"), addHelp::toString);
  }
}
