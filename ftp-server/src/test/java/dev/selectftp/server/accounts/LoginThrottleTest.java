package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private static final String ADDR = "192.0.2.1";
  private final TestSupport.FakeClock clock = new TestSupport.FakeClock();
  private final LoginThrottle throttle = new LoginThrottle(clock);

  private void fail(String user, String address, int times) {
    for (int i = 0; i < times; i++) throttle.recordFailure(user, address);
  }

  @Test
  void delayDoublesWithEachFailureUpToTheCap() {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      throttle.recordFailure("bob", ADDR);
      delays.add(throttle.failureDelay("bob", ADDR).toMillis());
    }
    assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 8000L, 8000L), delays);
  }

  @Test
  void delayFollowsTheAddressAcrossUserNames() {
    fail("alice", ADDR, 1);
    fail("bob", ADDR, 1);
    fail("carol", ADDR, 1);
    assertEquals(Duration.ofMillis(1000), throttle.failureDelay("dave", ADDR));
    assertEquals(Duration.ofMillis(250), throttle.failureDelay("dave", "198.51.100.7"));
  }

  @Test
  void delayFollowsTheUserAcrossAddresses() {
    fail("bob", "198.51.100.1", 1);
    fail("bob", "198.51.100.2", 1);
    assertEquals(Duration.ofMillis(500), throttle.failureDelay("bob", "198.51.100.3"));
  }

  @Test
  void accountIsLockedAtTheTenthFailureFromAnyAddress() {
    for (int i = 0; i < LoginThrottle.USER_LOCKOUT_FAILURES - 1; i++) {
      throttle.recordFailure("bob", "198.51.100." + i);
    }
    assertTrue(throttle.lockedOut("bob").isEmpty());

    throttle.recordFailure("bob", "198.51.100.99");
    assertEquals(Optional.of(LoginThrottle.LOCKOUT), throttle.lockedOut("bob"));
    assertInstanceOf(LoginThrottle.Admission.LockedOut.class, throttle.admit("bob", ADDR));
    assertTrue(throttle.lockedOut("alice").isEmpty());
  }

  @Test
  void anAddressWithThirtyFailuresIsSlowedButNeverLockedOut() {
    for (int i = 0; i < LoginThrottle.ADDRESS_SLOWDOWN_FAILURES - 1; i++) throttle.recordFailure("user" + i, ADDR);
    assertFalse(throttle.isSlowed(ADDR));

    assertEquals(LoginThrottle.MAX_DELAY, throttle.recordFailure("user99", ADDR));
    assertTrue(throttle.isSlowed(ADDR));
    assertFalse(throttle.isSlowed("198.51.100.7"));
    // Not locked: a login may start, it just cannot run in parallel without bound.
    assertInstanceOf(LoginThrottle.Admission.Admitted.class, throttle.admit("someone", ADDR));
    assertEquals(LoginThrottle.MAX_DELAY, throttle.recordFailure("someone", ADDR), "every failure waits the most");
  }

  @Test
  void anAttackedAddressGetsAFewLoginsInFlightAndSlotsComeBack() {
    for (int i = 0; i < LoginThrottle.ADDRESS_SLOWDOWN_FAILURES; i++) throttle.recordFailure("n" + i, ADDR);
    List<LoginThrottle.Ticket> tickets = new ArrayList<>();
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT; i++) {
      tickets.add(assertInstanceOf(LoginThrottle.Admission.Admitted.class, throttle.admit("x" + i, ADDR)).ticket());
    }
    LoginThrottle.Admission.Busy busy =
        assertInstanceOf(LoginThrottle.Admission.Busy.class, throttle.admit("one-more", ADDR));
    assertTrue(busy.retryAfter().compareTo(LoginThrottle.LOGIN_SLOT_TTL) <= 0);
    assertInstanceOf(LoginThrottle.Admission.Admitted.class, throttle.admit("elsewhere", "198.51.100.7"),
        "other addresses are not held up");

    throttle.release(tickets.get(0));
    throttle.release(tickets.get(0)); // twice is harmless
    assertInstanceOf(LoginThrottle.Admission.Admitted.class, throttle.admit("one-more", ADDR));
    assertInstanceOf(LoginThrottle.Admission.Busy.class, throttle.admit("and-another", ADDR));

    clock.advance(LoginThrottle.LOGIN_SLOT_TTL); // slots of vanished connections free themselves
    assertInstanceOf(LoginThrottle.Admission.Admitted.class, throttle.admit("and-another", ADDR));
  }

  @Test
  void aUserWhoLoggedInFromTheAddressBeforeIsNotSlowedByOthersFailures() {
    throttle.recordSuccess("alice", ADDR);
    for (int i = 0; i < 3 * LoginThrottle.ADDRESS_SLOWDOWN_FAILURES; i++) throttle.recordFailure("n" + i, ADDR);
    assertTrue(throttle.isSlowed(ADDR));
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT; i++) throttle.admit("x" + i, ADDR);
    assertInstanceOf(LoginThrottle.Admission.Busy.class, throttle.admit("bob", ADDR), "a newcomer waits");

    assertEquals(LoginThrottle.Ticket.NONE,
        assertInstanceOf(LoginThrottle.Admission.Admitted.class, throttle.admit("alice", ADDR)).ticket());
    assertEquals(LoginThrottle.BASE_DELAY, throttle.recordFailure("alice", ADDR), "a typo costs the usual delay");
    // The per-user lockout still holds for her.
    fail("alice", "203.0.113.9", LoginThrottle.USER_LOCKOUT_FAILURES);
    assertInstanceOf(LoginThrottle.Admission.LockedOut.class, throttle.admit("alice", ADDR));
  }

  @Test
  void trustedPairsAreBoundedAndLeastRecentlyUsedGoFirst() {
    LoginThrottle small = new LoginThrottle(clock, 10, 10, 2);
    small.recordSuccess("a", ADDR);
    small.recordSuccess("b", ADDR);
    small.recordSuccess("c", ADDR);
    assertEquals(2, small.trustedPairs());
    for (int i = 0; i < LoginThrottle.ADDRESS_SLOWDOWN_FAILURES; i++) small.recordFailure("n" + i, ADDR);
    assertEquals(LoginThrottle.MAX_DELAY, small.failureDelay("a", ADDR), "a was evicted");
    assertEquals(LoginThrottle.BASE_DELAY, small.failureDelay("c", ADDR));
  }

  @Test
  void lockoutCountsDownAndEnds() {
    fail("bob", ADDR, LoginThrottle.USER_LOCKOUT_FAILURES);
    clock.advance(Duration.ofMinutes(5));
    assertEquals(Optional.of(Duration.ofMinutes(10)), throttle.lockedOut("bob"));

    clock.advance(Duration.ofMinutes(10));
    assertTrue(throttle.lockedOut("bob").isEmpty());
    assertInstanceOf(LoginThrottle.Admission.Admitted.class, throttle.admit("bob", ADDR));
    assertEquals(LoginThrottle.BASE_DELAY, throttle.failureDelay("bob", ADDR));
  }

  @Test
  void successResetsTheUserEverywhere() {
    fail("bob", ADDR, 5);
    throttle.recordSuccess("bob", "198.51.100.99");
    assertEquals(LoginThrottle.BASE_DELAY, throttle.failureDelay("bob", "198.51.100.99"));
    throttle.recordFailure("bob", "198.51.100.99");
    assertEquals(LoginThrottle.BASE_DELAY, throttle.failureDelay("bob", "198.51.100.99"));
  }

  @Test
  void ownSuccessfulLoginDoesNotResetTheAddressCountOfAGuesser() {
    fail("victim", ADDR, LoginThrottle.ADDRESS_SLOWDOWN_FAILURES - 1);
    throttle.recordSuccess("attacker", ADDR);
    throttle.recordFailure("other", ADDR);
    assertTrue(throttle.isSlowed(ADDR), "the address reached its threshold");
    assertEquals(LoginThrottle.MAX_DELAY, throttle.failureDelay("victim", ADDR));
  }

  @Test
  void failuresOlderThanTheWindowNoLongerCountAndAreForgotten() {
    fail("bob", ADDR, 9);
    clock.advance(LoginThrottle.WINDOW);
    assertEquals(LoginThrottle.BASE_DELAY, throttle.failureDelay("bob", ADDR));

    throttle.recordFailure("alice", "198.51.100.7");
    assertEquals(2, throttle.trackedKeys());
    throttle.recordFailure("bob", ADDR);
    assertTrue(throttle.lockedOut("bob").isEmpty(), "nine old failures plus one new must not lock");
  }

  @Test
  void slidingWindowLocksWhenTenFailuresFallWithinFifteenMinutes() {
    fail("bob", ADDR, 5);
    clock.advance(Duration.ofMinutes(10));
    fail("bob", ADDR, 5);
    assertTrue(throttle.lockedOut("bob").isPresent());
  }

  @Test
  void trackedKeysNeverExceedTheCapAndTheNewestSurvive() {
    LoginThrottle small = new LoginThrottle(clock, 4, 4, 4);
    for (int i = 0; i < 50; i++) small.recordFailure("user" + i, "198.51.100." + i);
    assertEquals(8, small.trackedKeys());

    small.recordFailure("user49", "198.51.100.49");
    assertEquals(Duration.ofMillis(500), small.failureDelay("user49", "203.0.113.1"));
    assertEquals(LoginThrottle.BASE_DELAY, small.failureDelay("user0", "203.0.113.1"));
  }

  @Test
  void aSprayFromManyAddressesNeverUnlocksALockedAccount() {
    LoginThrottle small = new LoginThrottle(clock, 4, 4, 4);
    for (int i = 0; i < LoginThrottle.USER_LOCKOUT_FAILURES; i++) small.recordFailure("victim", "198.51.100.1");
    for (int i = 0; i < 1_000; i++) small.recordFailure("spray" + i, "203.0.113." + (i % 250));
    assertTrue(small.lockedOut("victim").isPresent(), "the lock survives a full table");
    assertInstanceOf(LoginThrottle.Admission.LockedOut.class, small.admit("victim", "192.0.2.77"));
  }

  @Test
  void whenEveryTrackedNameIsLockedANewNameIsAnsweredAtTheMostAndNoLockIsDropped() {
    LoginThrottle small = new LoginThrottle(clock, 2, 4, 4);
    for (int i = 0; i < LoginThrottle.USER_LOCKOUT_FAILURES; i++) small.recordFailure("alice", "198.51.100." + i);
    for (int i = 0; i < LoginThrottle.USER_LOCKOUT_FAILURES; i++) small.recordFailure("bob", "198.51.100." + i);
    assertEquals(LoginThrottle.MAX_DELAY, small.recordFailure("carol", "192.0.2.200"), "not tracked: the most");
    assertTrue(small.lockedOut("alice").isPresent());
    assertTrue(small.lockedOut("bob").isPresent());
    assertTrue(small.lockedOut("carol").isEmpty());

    clock.advance(LoginThrottle.LOCKOUT); // locks run out, and their slots are free again
    assertEquals(LoginThrottle.BASE_DELAY, small.recordFailure("carol", "192.0.2.201"));
  }

  @Test
  void namesNoAccountCanHaveShareOneKeySoLongNamesCostNoMemory() {
    for (int i = 0; i < 1_000; i++) throttle.recordFailure(i + "x".repeat(10_000), ADDR);
    assertEquals(2, throttle.trackedKeys(), "one bucket for invalid names, one address");
    assertTrue(throttle.lockedOut("y".repeat(40)).isPresent(), "the bucket is locked, and holds no real user");
    assertTrue(throttle.lockedOut("bob").isEmpty());
  }

  @Test
  void defaultCapsAreAHundredThousandNamesAndTwentyThousandAddresses() {
    assertEquals(100_000, LoginThrottle.MAX_TRACKED_USERS);
    assertEquals(20_000, LoginThrottle.MAX_TRACKED_ADDRESSES);
    for (int i = 0; i < 120_000; i++) throttle.recordFailure("u" + i, "a" + i);
    assertEquals(LoginThrottle.MAX_TRACKED_USERS + LoginThrottle.MAX_TRACKED_ADDRESSES, throttle.trackedKeys());
  }
}
