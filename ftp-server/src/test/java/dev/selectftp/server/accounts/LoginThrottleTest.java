package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertTrue(throttle.lockedOut("bob", ADDR).isEmpty());

    throttle.recordFailure("bob", "198.51.100.99");
    assertEquals(Optional.of(LoginThrottle.LOCKOUT), throttle.lockedOut("bob", ADDR));
    assertTrue(throttle.lockedOut("alice", ADDR).isEmpty());
  }

  @Test
  void addressIsLockedAfterThirtyFailuresAcrossUsers() {
    for (int i = 0; i < LoginThrottle.ADDRESS_LOCKOUT_FAILURES - 1; i++) throttle.recordFailure("user" + i, ADDR);
    assertTrue(throttle.lockedOut("someone", ADDR).isEmpty());

    throttle.recordFailure("user99", ADDR);
    assertTrue(throttle.lockedOut("someone", ADDR).isPresent());
    assertTrue(throttle.lockedOut("someone", "198.51.100.7").isEmpty());
  }

  @Test
  void lockoutCountsDownAndEnds() {
    fail("bob", ADDR, LoginThrottle.USER_LOCKOUT_FAILURES);
    clock.advance(Duration.ofMinutes(5));
    assertEquals(Optional.of(Duration.ofMinutes(10)), throttle.lockedOut("bob", ADDR));

    clock.advance(Duration.ofMinutes(10));
    assertTrue(throttle.lockedOut("bob", ADDR).isEmpty());
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
    fail("victim", ADDR, LoginThrottle.ADDRESS_LOCKOUT_FAILURES - 1);
    throttle.recordSuccess("attacker", ADDR);
    throttle.recordFailure("other", ADDR);
    assertTrue(throttle.lockedOut("anyone", ADDR).isPresent(), "the address reached its threshold");
  }

  @Test
  void failuresOlderThanTheWindowNoLongerCountAndAreForgotten() {
    fail("bob", ADDR, 9);
    clock.advance(LoginThrottle.WINDOW);
    assertEquals(LoginThrottle.BASE_DELAY, throttle.failureDelay("bob", ADDR));

    throttle.recordFailure("alice", "198.51.100.7");
    assertEquals(2, throttle.trackedKeys());
    throttle.recordFailure("bob", ADDR);
    assertTrue(throttle.lockedOut("bob", ADDR).isEmpty(), "nine old failures plus one new must not lock");
  }

  @Test
  void slidingWindowLocksWhenTenFailuresFallWithinFifteenMinutes() {
    fail("bob", ADDR, 5);
    clock.advance(Duration.ofMinutes(10));
    fail("bob", ADDR, 5);
    assertTrue(throttle.lockedOut("bob", ADDR).isPresent());
  }

  @Test
  void trackedKeysNeverExceedTheCapAndTheNewestSurvive() {
    LoginThrottle small = new LoginThrottle(clock, 4);
    for (int i = 0; i < 50; i++) small.recordFailure("user" + i, "198.51.100." + i);
    assertEquals(4, small.trackedKeys());

    small.recordFailure("user49", "198.51.100.49");
    assertEquals(Duration.ofMillis(500), small.failureDelay("user49", "203.0.113.1"));
    assertEquals(LoginThrottle.BASE_DELAY, small.failureDelay("user0", "203.0.113.1"));
  }

  @Test
  void defaultCapIsAHundredThousandKeys() {
    assertEquals(100_000, LoginThrottle.MAX_TRACKED_KEYS);
    for (int i = 0; i < 60_000; i++) throttle.recordFailure("u" + i, "a" + i);
    assertEquals(LoginThrottle.MAX_TRACKED_KEYS, throttle.trackedKeys());
  }
}
