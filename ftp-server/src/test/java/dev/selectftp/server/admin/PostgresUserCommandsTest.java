package dev.selectftp.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.accounts.postgres.PostgresAccounts;
import dev.selectftp.server.accounts.postgres.PostgresDatabase;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code user} commands with {@code --accounts postgresql://...}, and {@code user import}. */
class PostgresUserCommandsTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();

  @TempDir
  Path dir;

  @BeforeEach
  void emptyDatabase() throws Exception {
    PostgresDatabase.open(PG.parsedUrl()).close(); // migrated
    PG.execute("TRUNCATE users CASCADE");
  }

  private Path data() {
    return dir.resolve("data");
  }

  /** A {@code user} command on the PostgreSQL accounts. */
  private Cli.Result pg(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--accounts", PG.url()));
    return Cli.user(data(), stdin, all.toArray(String[]::new));
  }

  private Map<String, User> databaseUsers() throws Exception {
    try (PostgresAccounts accounts = PostgresAccounts.open(PG.parsedUrl(), dir.resolve("reader"), 1, 4096)) {
      return accounts.list().stream().collect(Collectors.toMap(User::name, Function.identity()));
    }
  }

  @Test
  void importMovesEveryUserOfUsersJsonAndIsIdempotent() throws Exception {
    for (String name : List.of("amy", "Bob", "carl")) {
      Cli.Result r = Cli.user(data(), "pw-" + name + "\n", "add", name, "--quota", "3MiB");
      assertEquals(0, r.code(), r.toString());
    }
    Map<String, User> json = Accounts.open(data(), 1, 4096).list().stream()
        .collect(Collectors.toMap(User::name, Function.identity()));
    // A name already in the database, in another letter case, is skipped, not overwritten.
    assertEquals(0, pg("other\n", "add", "AMY").code());

    Cli.Result first = pg("", "import");
    assertEquals(0, first.code(), first.toString());
    assertTrue(first.out().contains("imported 2 users"), first.out());
    assertTrue(first.out().contains("skipped amy: the name exists already"), first.out());

    Map<String, User> db = databaseUsers();
    assertEquals(List.of("AMY", "Bob", "carl"), db.keySet().stream().sorted().toList());
    for (String name : List.of("Bob", "carl")) {
      User moved = db.get(name);
      User original = json.get(name);
      assertEquals(original.quotaBytes(), moved.quotaBytes());
      assertEquals(original.created(), moved.created());
      assertTrue(Cli.accepts(moved.credentials(), name, "pw-" + name), "the password moves as its SCRAM keys");
    }
    assertTrue(Cli.accepts(db.get("AMY").credentials(), "AMY", "other"), "the existing account is untouched");

    Cli.Result again = pg("", "import");
    assertEquals(0, again.code(), again.toString());
    assertTrue(again.out().contains("imported 0 users"), again.out());
    assertEquals(db.keySet(), databaseUsers().keySet(), "a second import changes nothing");
  }

  @Test
  void userCommandsWorkOnPostgres() throws Exception {
    assertEquals(0, pg("pw1\n", "add", "dora", "--quota", "5MiB").code());
    assertTrue(Files.isDirectory(data().resolve("home/dora")), "add creates the home");
    assertEquals(1, pg("pw\n", "add", "DORA").code(), "the name is taken in any letter case");
    assertEquals(0, pg("pw2\n", "passwd", "dora").code());
    assertTrue(Cli.accepts(databaseUsers().get("dora").credentials(), "dora", "pw2"));
    assertEquals(0, pg("", "quota", "dora", "7MiB").code());
    assertEquals(7L << 20, databaseUsers().get("dora").quotaBytes());
    Cli.Result list = pg("", "list", "--bytes");
    assertTrue(list.out().contains("dora") && list.out().contains(Long.toString(7L << 20)), list.toString());
    Cli.Result removed = pg("", "remove", "dora", "--delete-home");
    assertEquals(0, removed.code(), removed.toString());
    assertFalse(databaseUsers().containsKey("dora"));
    assertFalse(Files.exists(data().resolve("home/dora")));
    assertFalse(Files.exists(data().resolve("users.json")), "nothing was written to users.json");
  }

  @Test
  void importWithoutADatabaseIsAUsageError() {
    Cli.Result r = Cli.user(data(), "", "import");
    assertEquals(Failure.USAGE, r.code(), r.toString());
    assertTrue(r.err().contains("needs --accounts"), r.err());
  }
}
