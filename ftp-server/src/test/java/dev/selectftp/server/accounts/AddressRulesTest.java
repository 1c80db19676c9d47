package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How client addresses are told apart and trusted, and the exact edge of the registration window. */
class AddressRulesTest {
  private final TestSupport.FakeClock clock = new TestSupport.FakeClock();

  @Test
  void loopbackAddressesAreTheMachinesOwnAndOthersAndNonsenseAreNot() {
    assertTrue(ClientAddress.isLoopback("127.0.0.1"));
    assertTrue(ClientAddress.isLoopback("::1"));
    assertFalse(ClientAddress.isLoopback("192.0.2.1"));
    assertFalse(ClientAddress.isLoopback("not an address"));
  }

  @Test
  void anIpv6AddressCountsAsItsSlash64AndIpv4AsItself() {
    assertEquals("2001:db8:0:1::/64", ClientAddress.key("2001:db8:0:1:aaaa:bbbb:cccc:dddd"));
    assertEquals("2001:db8:0:1::/64", ClientAddress.key("2001:db8:0:1::9"));
    assertEquals("192.0.2.1", ClientAddress.key("192.0.2.1"));
    assertEquals(":bad:", ClientAddress.key(":bad:"));
  }

  @Test
  void aTrustedPairLastsUntilJustBeforeItsEnd() {
    TrustedPairs pairs = new TrustedPairs(10);
    pairs.add("bob", "192.0.2.1", clock.getAsLong());
    assertTrue(pairs.contains("bob", "192.0.2.1", clock.getAsLong()));
    assertFalse(pairs.contains("bob", "192.0.2.2", clock.getAsLong()));
    clock.advance(Duration.ofDays(365));
    assertFalse(pairs.contains("bob", "192.0.2.1", clock.getAsLong()));
    assertEquals(0, pairs.size(), "an expired pair is dropped when asked about");
  }

  @Test
  void aRegistrationLeavesTheWindowExactlyAnHourLater() {
    RegistrationLimits limits = new RegistrationLimits(new RegistrationPolicy(true, 1, 100), clock);
    assertTrue(limits.tryAcquire("192.0.2.1").isEmpty());
    clock.advance(RegistrationLimits.WINDOW.minusNanos(1));
    assertTrue(limits.tryAcquire("192.0.2.1").isPresent());
    clock.advance(Duration.ofNanos(1));
    assertTrue(limits.tryAcquire("192.0.2.1").isEmpty());
    assertEquals(1, limits.trackedAddresses());
  }

  @Test
  void ratesOfOnePerHourAreTheSmallestAllowed() {
    assertDoesNotThrow(() -> new RegistrationPolicy(true, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RegistrationPolicy(true, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new RegistrationPolicy(true, 1, 0));
    assertFalse(RegistrationPolicy.DEFAULT.withOpen(false).open());
    assertEquals(10, RegistrationPolicy.DEFAULT.withOpen(false).perAddressPerHour());
  }
}
