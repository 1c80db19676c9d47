package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The throttle's exact answers: how long a lock and a full address have left, and how long a slot is kept. */
class LoginThrottleEdgesTest {
  private static final String ADDR = "192.0.2.50";
  private final TestSupport.FakeClock clock = new TestSupport.FakeClock();
  private final LoginThrottle throttle = new LoginThrottle(clock);

  private void slowTheAddress() {
    for (int i = 0; i < LoginThrottle.ADDRESS_SLOWDOWN_FAILURES; i++) throttle.recordFailure("guess" + i, ADDR);
  }

  @Test
  void aLockedNameIsToldExactlyHowLongTheLockHasLeft() {
    for (int i = 0; i < LoginThrottle.USER_LOCKOUT_FAILURES; i++) throttle.recordFailure("bob", ADDR);
    clock.advance(Duration.ofMinutes(5));
    LoginThrottle.Admission.LockedOut locked =
        assertInstanceOf(LoginThrottle.Admission.LockedOut.class, throttle.admit("bob", "198.51.100.1"));
    assertEquals(LoginThrottle.LOCKOUT.minusMinutes(5), locked.remaining());
  }

  @Test
  void aFullAddressIsToldWhenItsOldestSlotFreesItself() {
    slowTheAddress();
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT; i++) {
      assertInstanceOf(LoginThrottle.Admission.Admitted.class, throttle.admit("u" + i, ADDR));
      clock.advance(Duration.ofSeconds(2));
    }
    LoginThrottle.Admission.Busy busy =
        assertInstanceOf(LoginThrottle.Admission.Busy.class, throttle.admit("late", ADDR));
    assertEquals(LoginThrottle.LOGIN_SLOT_TTL.minusSeconds(2L * LoginThrottle.MAX_LOGINS_IN_FLIGHT),
        busy.retryAfter());
  }

  @Test
  void anAddressWithALiveSlotIsRememberedAfterItsFailuresLeaveTheWindowAndForgottenAfterTheSlot() {
    slowTheAddress();
    clock.advance(LoginThrottle.WINDOW.minusSeconds(10));
    assertInstanceOf(LoginThrottle.Admission.Admitted.class, throttle.admit("late", ADDR)); // takes a slot
    clock.advance(Duration.ofSeconds(15)); // the failures are out of the window, the slot lives 15 s more
    throttle.admit("someone", "198.51.100.2"); // any call forgets what expired
    assertEquals(1, throttle.trackedKeys(), "the address is kept while its slot lives");
    clock.advance(LoginThrottle.LOGIN_SLOT_TTL);
    throttle.admit("someone", "198.51.100.2");
    assertEquals(0, throttle.trackedKeys());
  }

  @Test
  void theSmallestTablesHoldOneKeyOfEachKind() {
    assertDoesNotThrow(() -> new LoginThrottle(clock, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new LoginThrottle(clock, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new LoginThrottle(clock, 1, 0, 1));
  }
}
