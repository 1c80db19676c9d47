package dev.selectftp.server.accounts.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.Removal;
import dev.selectftp.server.accounts.TestSupport;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Accounts in a real PostgreSQL, seen from two nodes (two repositories, two pools) as two servers would. */
class PostgresAccountsTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();

  /** The other node must see a change within this. */
  private static final long PROPAGATION_MILLIS = 1_000;

  @RegisterExtension
  final Nodes nodes = new Nodes(PG);

  @Test
  void nameRegistersExactlyOnceAcrossTwoNodes() throws Exception {
    PostgresAccounts a = nodes.node();
    PostgresAccounts b = nodes.node();
    ScramCredentials k = Nodes.credentials("pw");
    int rounds = 25;
    int perNode = 4;
    ExecutorService pool = Executors.newFixedThreadPool(2 * perNode);
    try {
      for (int round = 0; round < rounds; round++) {
        String name = "racer" + round;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 2 * perNode; i++) {
          PostgresAccounts node = i % 2 == 0 ? a : b;
          // Every letter case of the name: the folded name is what must be unique.
          String spelled = i % 3 == 0 ? name.toUpperCase() : i % 3 == 1 ? name : "R" + name.substring(1);
          results.add(pool.submit(attempt(node, spelled, k, go)));
        }
        go.countDown();
        int won = 0;
        for (Future<String> f : results) {
          String outcome = f.get(30, TimeUnit.SECONDS);
          if (outcome.equals("created")) won++;
          else assertEquals("USER_EXISTS", outcome);
        }
        assertEquals(1, won, "exactly one node may register " + name + " in any letter case");
      }
    } finally {
      pool.shutdownNow();
    }
    try (var c = PG.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM users")) {
      rs.next();
      assertEquals(rounds, rs.getInt(1));
    }
  }

  private static Callable<String> attempt(PostgresAccounts node, String name, ScramCredentials k, CountDownLatch go) {
    return () -> {
      go.await();
      try {
        node.create(name, k);
        return "created";
      } catch (Refused e) {
        return e.code().name();
      }
    };
  }

  @Test
  void registrationOnOneNodeIsSeenByTheOtherWithinASecond() throws Exception {
    PostgresAccounts a = nodes.node();
    PostgresAccounts b = nodes.node();
    awaitTrue(b::following, "node b follows changes");
    ScramCredentials first = Nodes.credentials("first");
    a.create("Bob", first);
    assertTrue(a.find("Bob").isPresent(), "the writing node reads its own write at once");
    awaitTrue(() -> b.find("Bob").isPresent(), "b sees the registration");
    assertTrue(TestSupport.login("Bob", "first", b.credentialsFor("Bob")));

    a.updateCredentials("Bob", Nodes.credentials("second"));
    awaitTrue(() -> loginWorks(b, "Bob", "second"), "b sees the password change");
    b.setQuota("Bob", 12_345);
    awaitTrue(() -> a.find("Bob").map(User::quotaBytes).orElse(0L) == 12_345, "a sees the quota change");
    b.remove("Bob");
    awaitTrue(() -> a.find("Bob").isEmpty(), "a sees the removal");
  }

  @Test
  void aChangeThatSentNoNotificationIsPickedUpByTheFullResync() throws Exception {
    PostgresAccounts a = nodes.node(Duration.ofMillis(300));
    a.create("kim", Nodes.credentials("pw"));
    awaitTrue(a::following, "the listener runs");
    // As if the notification were lost: the row changes behind the trigger's back.
    PG.execute("ALTER TABLE users DISABLE TRIGGER users_changed");
    try {
      PG.execute("UPDATE users SET quota_bytes = 4242 WHERE name = 'kim'");
    } finally {
      PG.execute("ALTER TABLE users ENABLE TRIGGER users_changed");
    }
    awaitTrue(() -> a.find("kim").map(User::quotaBytes).orElse(0L) == 4242, "the resync reads the new quota");
  }

  @Test
  void unknownNamesGetTheSameMadeUpChallengeOnEveryNode() throws Exception {
    PostgresAccounts a = nodes.node();
    PostgresAccounts b = nodes.node();
    ScramCredentials fromA = a.credentialsFor("nobody");
    ScramCredentials fromB = b.credentialsFor("nobody");
    assertArrayEquals(fromA.salt(), fromB.salt());
    assertEquals(fromA.iterations(), fromB.iterations());
    assertFalse(TestSupport.login("nobody", "guess", fromA));
  }

  @Test
  void aNameTakenInAnotherLetterCaseIsRefusedAndLoginsAreCaseSensitive() throws Exception {
    PostgresAccounts a = nodes.node();
    a.create("Carol", Nodes.credentials("pw"));
    Refused refused = assertThrows(Refused.class, () -> a.create("carol", Nodes.credentials("pw")));
    assertEquals(Refusal.USER_EXISTS, refused.code());
    assertEquals(Optional.empty(), a.find("carol"));
  }

  @Test
  void weakCredentialsAndBadNamesAreRefusedBeforeTheDatabase() {
    PostgresAccounts a = assertDoesNotThrowNode();
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    ScramCredentials weak = ScramCredentials.derive("pw".toCharArray(), salt, Nodes.ITERATIONS - 1);
    assertEquals(Refusal.WEAK_CREDENTIALS, assertThrows(Refused.class, () -> a.create("dan", weak)).code());
    assertEquals(Refusal.BAD_USER_NAME,
        assertThrows(Refused.class, () -> a.create("../etc", Nodes.credentials("pw"))).code());
  }

  private PostgresAccounts assertDoesNotThrowNode() {
    try {
      return nodes.node();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void removalRetiresTheHomeSoANewcomerOfTheNameStartsEmpty() throws Exception {
    PostgresAccounts a = nodes.node();
    a.create("erin", Nodes.credentials("pw"));
    Path home = nodes.folder("node1").resolve("home/erin");
    assertTrue(Files.isDirectory(home), "registration creates the home");
    Files.writeString(home.resolve("secret.txt"), "old");
    Removal removal = a.remove("erin").orElseThrow();
    assertTrue(removal.retiredHome().startsWith(nodes.folder("node1").resolve("removed")), removal.toString());
    assertEquals("old", Files.readString(removal.retiredHome().resolve("secret.txt")));
    assertFalse(Files.exists(home.resolve("secret.txt")));
    a.create("erin", Nodes.credentials("pw2"));
    try (var files = Files.list(home)) {
      assertEquals(0, files.count(), "the newcomer's home is empty");
    }
    assertEquals(Optional.empty(), a.remove("nobody"));
  }

  @Test
  void listReadsEveryUserSortedByName() throws Exception {
    PostgresAccounts a = nodes.node();
    PostgresAccounts b = nodes.node();
    a.create("zed", Nodes.credentials("pw"));
    b.create("amy", Nodes.credentials("pw"), 77);
    List<String> names = a.list().stream().map(User::name).toList();
    assertEquals(List.of("amy", "zed"), names, "list asks the database, not the possibly late mirror");
    assertEquals(77, a.list().get(0).quotaBytes());
  }

  private static boolean loginWorks(PostgresAccounts node, String user, String password) {
    try {
      return TestSupport.login(user, password, node.credentialsFor(user));
    } catch (Exception e) {
      return false;
    }
  }

  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROPAGATION_MILLIS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) throw new AssertionError("not within " + PROPAGATION_MILLIS + " ms: " + what);
      Thread.sleep(10);
    }
  }
}
