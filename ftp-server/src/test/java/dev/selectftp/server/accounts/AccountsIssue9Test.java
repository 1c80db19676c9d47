package dev.selectftp.server.accounts;

import dev.selectftp.server.storage.HomeLayout;

import static dev.selectftp.server.accounts.TestSupport.ITERATIONS;
import static dev.selectftp.server.accounts.TestSupport.QUOTA;
import static dev.selectftp.server.accounts.TestSupport.credentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9: made-up challenges that survive --iterations changes, and homes no newcomer inherits. */
class AccountsIssue9Test {
  @TempDir Path dir;

  @Test
  void madeUpChallengesShowTheUsersCountNotTheConfiguredOneAcrossARestartWithOtherIterations() throws Exception {
    Accounts before = Accounts.open(dir, QUOTA, ITERATIONS);
    ScramCredentials real = credentials("pw", ITERATIONS);
    before.register("alice", real);
    before.register("bob", real);
    ScramCredentials ghostBefore = before.credentialsFor("ghost");

    // Restart asking new accounts for twice the iterations: alice and bob keep theirs.
    Accounts after = Accounts.open(dir, QUOTA, 2 * ITERATIONS);
    ScramCredentials ghostAfter = after.credentialsFor("ghost");
    assertEquals(ITERATIONS, after.credentialsFor("alice").iterations());
    assertEquals(ITERATIONS, ghostAfter.iterations(), "an unknown name must look like the existing users");
    assertEquals(ghostBefore, ghostAfter, "and exactly as it did before the restart");
  }

  @Test
  void madeUpCountsFollowTheMixOfRealCountsAndAreStablePerName() throws Exception {
    Accounts accounts = Accounts.open(dir, QUOTA, ITERATIONS);
    ScramCredentials low = credentials("pw", ITERATIONS);
    ScramCredentials high = credentials("pw", 2 * ITERATIONS);
    for (int i = 0; i < 6; i++) accounts.register("low" + i, low);
    for (int i = 0; i < 2; i++) accounts.register("high" + i, high);

    Map<Integer, Integer> seen = new HashMap<>();
    for (int i = 0; i < 400; i++) seen.merge(accounts.credentialsFor("nobody" + i).iterations(), 1, Integer::sum);
    assertEquals(java.util.Set.of(ITERATIONS, 2 * ITERATIONS), seen.keySet(), "only counts real users have");
    int highShare = seen.get(2 * ITERATIONS);
    assertTrue(highShare > 50 && highShare < 150, "about a quarter of names get the rarer count: " + highShare);

    Accounts other = Accounts.open(dir, QUOTA, 3 * ITERATIONS);
    for (int i = 0; i < 50; i++) {
      assertEquals(accounts.credentialsFor("nobody" + i), other.credentialsFor("nobody" + i));
    }
  }

  @Test
  void withoutUsersTheConfiguredCountIsShown() throws Exception {
    assertEquals(2 * ITERATIONS, Accounts.open(dir, QUOTA, 2 * ITERATIONS).credentialsFor("ghost").iterations());
  }

  @Test
  void aRemovedUsersFilesAreNotSeenByWhoeverRegistersTheNameNext() throws Exception {
    Accounts accounts = Accounts.open(dir, QUOTA, ITERATIONS);
    accounts.register("bob", credentials("old"));
    Files.writeString(accounts.home("bob").resolve("secret.txt"), "old bob's");
    Files.createDirectories(accounts.home("bob").resolve("folder"));
    Path retired = accounts.remove("bob").orElseThrow().retiredHome();

    accounts.register("Bob", credentials("new"));
    assertTrue(Files.isDirectory(accounts.home("Bob")));
    assertEquals(List.of(), list(accounts.home("Bob")), "the newcomer starts empty");
    assertEquals("old bob's", Files.readString(retired.resolve("secret.txt")), "the old files are kept aside");
  }

  @Test
  void aHomeLeftWithoutAnAccountIsMovedAsideBeforeTheNameIsRegistered() throws Exception {
    Accounts accounts = Accounts.open(dir, QUOTA, ITERATIONS);
    // What a crash between removing an account and moving its home leaves, or a home an operator kept.
    Path leftover = HomeLayout.homeOf(dir, "carol");
    Files.createDirectories(leftover);
    Files.writeString(leftover.resolve("old.txt"), "not yours");

    accounts.register("carol", credentials("pw"));
    assertEquals(List.of(), list(accounts.home("carol")));
    try (Stream<Path> removed = Files.list(HomeLayout.removedDir(dir))) {
      Path aside = removed.filter(p -> p.getFileName().toString().startsWith("carol-")).findFirst().orElseThrow();
      assertEquals("not yours", Files.readString(aside.resolve("old.txt")));
    }
  }

  @Test
  void removingTwiceWithinASecondKeepsBothOldHomes() throws Exception {
    Accounts accounts = Accounts.open(dir, QUOTA, ITERATIONS);
    Path first = null;
    for (int round = 0; round < 2; round++) {
      accounts.register("dave", credentials("pw"));
      Files.writeString(accounts.home("dave").resolve("n.txt"), "round " + round);
      Path retired = accounts.remove("dave").orElseThrow().retiredHome();
      if (first == null) first = retired;
      else assertFalse(first.equals(retired));
    }
    assertEquals("round 0", Files.readString(first.resolve("n.txt")));
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
