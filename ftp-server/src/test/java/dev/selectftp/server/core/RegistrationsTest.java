package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.RegistrationLimits;
import dev.selectftp.server.accounts.RegistrationPolicy;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of registering, as every door applies them: closed servers, weak keys, rates; and whose login lasts. */
class RegistrationsTest {
  private static final int ITERATIONS = ScramCredentials.MIN_ITERATIONS;
  @TempDir Path data;
  private final AtomicLong clock = new AtomicLong();

  private static ScramCredentials credentials(int iterations) {
    return new ScramCredentials(new byte[16], iterations, new byte[32], new byte[32]);
  }

  private Registrations registrations(Accounts accounts, RegistrationPolicy policy) {
    return new Registrations(accounts, new RegistrationLimits(policy, clock::get));
  }

  @Test
  void aClosedServerRefusesRegistrationAndAnOpenOneDoesNot() throws Exception {
    Accounts accounts = Accounts.open(data, 1 << 20, ITERATIONS);
    assertEquals(Refusal.FORBIDDEN, assertThrows(Refused.class,
        () -> registrations(accounts, RegistrationPolicy.DEFAULT.withOpen(false)).refuseIfClosed()).code());
    assertDoesNotThrow(() -> registrations(accounts, RegistrationPolicy.DEFAULT).refuseIfClosed());
  }

  @Test
  void keysWithFewerIterationsThanTheServersAreWeakAndExactlyAsManyAreFine() throws Exception {
    Accounts accounts = Accounts.open(data, 1 << 20, ITERATIONS + 1);
    Registrations r = registrations(accounts, RegistrationPolicy.UNLIMITED);
    Refused weak = assertThrows(Refused.class, () -> r.admit(credentials(ITERATIONS), "192.0.2.1"));
    assertEquals(Refusal.WEAK_CREDENTIALS, weak.code());
    assertEquals("use at least " + (ITERATIONS + 1) + " iterations", weak.getMessage());
    assertDoesNotThrow(() -> r.admit(credentials(ITERATIONS + 1), "192.0.2.1"));
  }

  @Test
  void anAddressOverItsHourlyRateIsToldWhenToComeBackInWholeMinutes() throws Exception {
    Accounts accounts = Accounts.open(data, 1 << 20, ITERATIONS);
    Registrations r = registrations(accounts, new RegistrationPolicy(true, 1, 100));
    r.admit(credentials(ITERATIONS), "192.0.2.1");
    clock.addAndGet(java.time.Duration.ofMinutes(30).toNanos());
    Refused limited = assertThrows(Refused.class, () -> r.admit(credentials(ITERATIONS), "192.0.2.1"));
    assertEquals(Refusal.LOCKED_OUT, limited.code());
    assertEquals("too many new accounts from your address this hour; try again in 30 min", limited.getMessage());
    assertDoesNotThrow(() -> r.admit(credentials(ITERATIONS), "192.0.2.2"));
  }

  @Test
  void theServersHourlyRateIsToldAsSuch() throws Exception {
    Accounts accounts = Accounts.open(data, 1 << 20, ITERATIONS);
    Registrations r = registrations(accounts, new RegistrationPolicy(true, 5, 1));
    r.admit(credentials(ITERATIONS), "192.0.2.1");
    clock.addAndGet(java.time.Duration.ofSeconds(59 * 60 + 1).toNanos());
    Refused limited = assertThrows(Refused.class, () -> r.admit(credentials(ITERATIONS), "192.0.2.9"));
    assertEquals("too many new accounts on this server this hour; try again in 1 min", limited.getMessage());
  }

  @Test
  void aBadNameIsRefusedAndARegisteredAccountCanLogInUntilRemovedOrReplaced() throws Exception {
    Accounts accounts = Accounts.open(data, 1 << 20, ITERATIONS);
    Registrations r = registrations(accounts, RegistrationPolicy.UNLIMITED);
    assertThrows(Refused.class, () -> r.checkName("../etc"));
    assertDoesNotThrow(() -> r.checkName("carol"));
    User carol = r.register("carol", credentials(ITERATIONS));
    assertEquals("carol", carol.name());
    Login login = new Login("carol", carol.created(), null, "/");
    assertTrue(login.accountStillExists(accounts));
    assertEquals("/docs", login.withCwd("/docs").cwd());
    assertEquals(carol.created(), login.withCwd("/docs").account());
    accounts.remove("carol");
    assertFalse(login.accountStillExists(accounts));
    // Creation stamps have whole seconds: an account made again within the same second would look the same.
    Thread.sleep(1_100 - System.currentTimeMillis() % 1_000);
    r.register("carol", credentials(ITERATIONS));
    assertFalse(login.accountStillExists(accounts), "another account of the same name");
  }
}
