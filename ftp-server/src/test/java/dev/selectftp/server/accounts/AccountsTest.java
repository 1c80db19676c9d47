package dev.selectftp.server.accounts;

import dev.selectftp.server.storage.HomeLayout;

import static dev.selectftp.server.accounts.TestSupport.ITERATIONS;
import static dev.selectftp.server.accounts.TestSupport.QUOTA;
import static dev.selectftp.server.accounts.TestSupport.credentials;
import static dev.selectftp.server.accounts.TestSupport.login;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.common.ScramCredentials;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountsTest {
  @TempDir Path dir;
  private final TestSupport.FakeClock clock = new TestSupport.FakeClock();

  private Accounts open() throws IOException {
    return Accounts.open(dir, QUOTA, ITERATIONS, clock);
  }

  private static Refused refusal(Refusal expected, org.junit.jupiter.api.function.Executable call) {
    Refused e = assertThrows(Refused.class, call);
    assertEquals(expected, e.code());
    return e;
  }

  @Test
  void registeredUserSurvivesReload() throws Exception {
    ScramCredentials c = credentials("hunter2");
    open().register("bob", c);

    User back = open().find("bob").orElseThrow();
    assertEquals(c, back.credentials());
    assertEquals(QUOTA, back.quotaBytes());
  }

  @Test
  void registrationCreatesTheHomeAndIsOnDiskBeforeReturning() throws Exception {
    Accounts accounts = open();
    User u = accounts.register("bob", credentials("pw"));

    assertTrue(Files.isDirectory(dir.resolve("home").resolve("bob")));
    assertEquals(dir.resolve("home").resolve("bob"), accounts.home("bob"));
    assertEquals(u, new UserStore(dir).load().get("bob"));
    assertTrue(accounts.find("bob").isPresent());
  }

  @Test
  void registeringATakenNameGivesUserExists() throws Exception {
    Accounts accounts = open();
    accounts.register("bob", credentials("one"));
    refusal(Refusal.USER_EXISTS, () -> accounts.register("bob", credentials("two")));
    assertTrue(login("bob", "one", accounts.credentialsFor("bob")));
  }

  @Test
  void namesDifferingOnlyInCaseCannotBothExistButLoginIsCaseSensitive() throws Exception {
    Accounts accounts = open();
    accounts.register("Bob", credentials("pw"));

    refusal(Refusal.USER_EXISTS, () -> accounts.register("bob", credentials("pw")));
    assertTrue(accounts.find("Bob").isPresent());
    assertTrue(accounts.find("bob").isEmpty());
    assertEquals(java.util.Set.of("Bob"), new UserStore(dir).load().keySet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abcdefghijklmnopqrstuvwxyz0123456", "../x", "a/b", ".hidden", "-x", "é"})
  void badNamesAreRefusedAndNothingIsWritten(String name) throws Exception {
    Accounts accounts = open();
    refusal(Refusal.BAD_USER_NAME, () -> accounts.register(name, credentials("pw")));
    assertFalse(Files.exists(dir.resolve(UserStore.FILE_NAME)));
  }

  @Test
  void fewerIterationsThanConfiguredGiveWeakCredentials() throws Exception {
    Accounts accounts = Accounts.open(dir, QUOTA, ITERATIONS + 1, clock);
    Refused e = refusal(Refusal.WEAK_CREDENTIALS, () -> accounts.register("bob", credentials("pw")));
    assertTrue(e.getMessage().contains(String.valueOf(ITERATIONS + 1)));
    assertTrue(accounts.find("bob").isEmpty());
  }

  @Test
  void sixteenThreadsRegisteringOneNameYieldExactlyOneWinner() throws Exception {
    Accounts accounts = open();
    int threads = 16;
    List<ScramCredentials> creds = new ArrayList<>();
    for (int i = 0; i < threads; i++) creds.add(credentials("pw" + i));
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Boolean>> results = new ArrayList<>();
    try {
      for (ScramCredentials c : creds) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            accounts.register("race", c);
            return true;
          } catch (Refused e) {
            assertEquals(Refusal.USER_EXISTS, e.code());
            return false;
          }
        }));
      }
      start.countDown();
      int winners = 0;
      for (Future<Boolean> f : results) winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
      assertEquals(1, winners);
    } finally {
      pool.shutdownNow();
    }
    Map<String, User> onDisk = new UserStore(dir).load();
    assertEquals(1, onDisk.size());
    assertEquals(accounts.find("race").orElseThrow(), onDisk.get("race"));
    String json = Files.readString(dir.resolve(UserStore.FILE_NAME));
    assertEquals(json.indexOf("\"race\""), json.lastIndexOf("\"race\""));
  }

  @Test
  void scramLoginSucceedsWithTheRightPasswordAndFailsWithAWrongOne() throws Exception {
    Accounts accounts = open();
    accounts.register("bob", credentials("correct horse"));
    assertTrue(login("bob", "correct horse", accounts.credentialsFor("bob")));
    assertFalse(login("bob", "battery staple", accounts.credentialsFor("bob")));
  }

  @Test
  void unknownUserGetsAStableChallengeThatNoPasswordPasses() throws Exception {
    Accounts accounts = open();
    ScramCredentials first = accounts.credentialsFor("ghost");
    ScramCredentials again = accounts.credentialsFor("ghost");
    ScramCredentials other = accounts.credentialsFor("phantom");

    assertArrayEquals(first.salt(), again.salt());
    assertEquals(first, again);
    assertFalse(java.util.Arrays.equals(first.salt(), other.salt()));
    assertEquals(ScramCredentials.SALT_BYTES, first.salt().length);
    assertEquals(ITERATIONS, first.iterations());
    assertFalse(login("ghost", "123456", first));
    assertFalse(login("ghost", "", first));
  }

  @Test
  void fabricatedChallengeStaysTheSameAfterRestart() throws Exception {
    ScramCredentials before = open().credentialsFor("ghost");
    ScramCredentials after = open().credentialsFor("ghost");
    assertEquals(before, after);
    assertEquals(ServerSecret.BYTES, Files.size(dir.resolve(ServerSecret.FILE_NAME)));
  }

  @Test
  void serverSecretIsReadableByItsOwnerOnly() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    open();
    assertEquals(PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(dir.resolve(ServerSecret.FILE_NAME)));
  }

  @Test
  void registrationByAnotherInstanceBecomesVisibleAfterTheRefreshInterval() throws Exception {
    Accounts server = open();
    assertTrue(server.find("carol").isEmpty());

    Accounts admin = Accounts.open(dir, QUOTA, ITERATIONS);
    admin.register("carol", credentials("pw"));

    assertTrue(server.find("carol").isEmpty(), "find must not stat the file more than once a second");
    clock.advance(Duration.ofSeconds(1));
    assertTrue(server.find("carol").isPresent());
    assertTrue(login("carol", "pw", server.credentialsFor("carol")));
  }

  @Test
  void explicitRefreshPicksUpRemovalByAnotherInstance() throws Exception {
    Accounts server = open();
    server.register("carol", credentials("pw"));
    assertTrue(Accounts.open(dir, QUOTA, ITERATIONS).remove("carol").isPresent());

    assertTrue(server.refreshIfChanged());
    assertTrue(server.find("carol").isEmpty());
    assertFalse(server.refreshIfChanged());
  }

  @Test
  void corruptUsersFileStopsOpenAndIsLeftUntouched() throws IOException {
    Path file = dir.resolve(UserStore.FILE_NAME);
    Files.writeString(file, "{\"version\":1,\"users\":[{\"name\":\"bob\",");
    byte[] before = Files.readAllBytes(file);

    assertThrows(IOException.class, this::open);
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void fileThatTurnsCorruptWhileRunningKeepsTheLastGoodUsers() throws Exception {
    Accounts accounts = open();
    accounts.register("bob", credentials("pw"));
    Files.writeString(dir.resolve(UserStore.FILE_NAME), "not json at all");

    assertFalse(accounts.refreshIfChanged());
    clock.advance(Duration.ofSeconds(2));
    assertTrue(accounts.find("bob").isPresent());
  }

  @Test
  void adminOperationsPersistAndRemoveMovesTheHomeOutOfReach() throws Exception {
    Accounts accounts = open();
    accounts.register("bob", credentials("old"));
    accounts.register("alice", credentials("pw"));

    assertEquals(5, accounts.setQuota("bob", 5).orElseThrow().quotaBytes());
    assertEquals(5, open().find("bob").orElseThrow().quotaBytes());
    assertTrue(accounts.setQuota("nobody", 5).isEmpty());

    accounts.setCredentials("bob", credentials("new"));
    assertTrue(login("bob", "new", open().credentialsFor("bob")));
    assertFalse(login("bob", "old", open().credentialsFor("bob")));

    assertEquals(List.of("alice", "bob"), accounts.list().stream().map(User::name).toList());
    Files.writeString(accounts.home("bob").resolve("kept.txt"), "old");
    Path retired = accounts.remove("bob").orElseThrow().retiredHome();
    assertTrue(accounts.remove("bob").isEmpty());
    assertTrue(open().find("bob").isEmpty());
    assertFalse(Files.exists(dir.resolve("home").resolve("bob")));
    assertEquals(HomeLayout.removedDir(dir), retired.getParent());
    assertEquals("old", Files.readString(retired.resolve("kept.txt")));
  }

  @Test
  void passwordChangeWithTooFewIterationsIsRefused() throws Exception {
    Accounts accounts = open();
    accounts.register("bob", credentials("pw", ITERATIONS + 1));
    Accounts stricter = Accounts.open(dir, QUOTA, ITERATIONS + 1, clock);
    refusal(Refusal.WEAK_CREDENTIALS, () -> stricter.setCredentials("bob", credentials("new")));
    assertTrue(login("bob", "pw", stricter.credentialsFor("bob")));
  }

  @Test
  void homeOfAnInvalidNameIsRefused() throws IOException {
    Accounts accounts = open();
    assertThrows(IllegalArgumentException.class, () -> accounts.home("../etc"));
  }
}
