package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistrationLimitsTest {
  private final TestSupport.FakeClock clock = new TestSupport.FakeClock();

  @Test
  void anAddressGetsItsHourlyShareThenWaitsForTheOldestToAgeOut() {
    RegistrationLimits limits = new RegistrationLimits(new RegistrationPolicy(true, 3, 100), clock);
    for (int i = 0; i < 3; i++) {
      assertTrue(limits.tryAcquire("192.0.2.1").isEmpty());
      clock.advance(Duration.ofMinutes(10));
    }
    RegistrationLimits.Refusal r = limits.tryAcquire("192.0.2.1").orElseThrow();
    assertInstanceOf(RegistrationLimits.Refusal.AddressRate.class, r);
    assertEquals(Duration.ofMinutes(30), r.retryAfter());
    assertTrue(limits.tryAcquire("192.0.2.2").isEmpty(), "another address is not held up");

    clock.advance(Duration.ofMinutes(30));
    assertTrue(limits.tryAcquire("192.0.2.1").isEmpty());
  }

  @Test
  void theGlobalCapHoldsAcrossAddresses() {
    RegistrationLimits limits = new RegistrationLimits(new RegistrationPolicy(true, 10, 5), clock);
    for (int i = 0; i < 5; i++) assertTrue(limits.tryAcquire("198.51.100." + i).isEmpty());
    assertInstanceOf(RegistrationLimits.Refusal.GlobalRate.class, limits.tryAcquire("203.0.113.1").orElseThrow());
    clock.advance(RegistrationLimits.WINDOW);
    assertTrue(limits.tryAcquire("203.0.113.1").isEmpty());
    assertEquals(1, limits.trackedAddresses(), "addresses of an hour ago are forgotten");
  }

  @Test
  void theTrackedAddressesFallToZeroAnHourLaterWithoutAnotherRegistration() {
    RegistrationLimits limits = new RegistrationLimits(new RegistrationPolicy(true, 10, 5), clock);
    for (int i = 0; i < 3; i++) assertTrue(limits.tryAcquire("198.51.100." + i).isEmpty());
    assertEquals(3, limits.trackedAddresses());
    clock.advance(RegistrationLimits.WINDOW);
    assertEquals(0, limits.trackedAddresses(), "the figure itself forgets, not only the next registration");
  }

  @Test
  void anIpv6ClientCountsByItsSlash64() {
    RegistrationLimits limits = new RegistrationLimits(new RegistrationPolicy(true, 2, 100), clock);
    assertTrue(limits.tryAcquire("2001:db8:0:1::1").isEmpty());
    assertTrue(limits.tryAcquire("2001:db8:0:1:ffff::2").isEmpty());
    assertInstanceOf(RegistrationLimits.Refusal.AddressRate.class, limits.tryAcquire("2001:db8:0:1::3").orElseThrow());
    assertTrue(limits.tryAcquire("2001:db8:0:2::1").isEmpty(), "the next /64 is someone else");
    assertEquals("2001:db8:0:1::/64", ClientAddress.key("2001:db8:0:1:abcd::9"));
    assertEquals("192.0.2.1", ClientAddress.key("192.0.2.1"));
  }

  @Test
  void memoryIsBoundedByTheGlobalCap() {
    RegistrationLimits limits = new RegistrationLimits(new RegistrationPolicy(true, 1, 50), clock);
    for (int i = 0; i < 5_000; i++) limits.tryAcquire("10.0." + (i / 250) + "." + (i % 250));
    assertTrue(limits.trackedAddresses() <= 50 + 1, "tracked " + limits.trackedAddresses());
  }

  @Test
  void defaultsAreTenPerAddressAndTwoHundredPerHour() {
    assertEquals(new RegistrationPolicy(true, 10, 200), RegistrationPolicy.DEFAULT);
  }
}
