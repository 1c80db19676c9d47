package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Tally;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From an address under attack only {@value LoginThrottle#MAX_LOGINS_IN_FLIGHT} logins run at once; every
 * way an attempt ends (restarted, succeeded, abandoned) gives its slot back, so the address is not starved.
 */
class LoginSlotsTest {
  private static final String ADDRESS = "192.0.2.66";
  private static final ScramCredentials ANY = new ScramCredentials(new byte[16], ScramCredentials.MIN_ITERATIONS,
      new byte[32], new byte[32]);
  @TempDir Path data;
  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  private final List<Runnable> timers = new ArrayList<>();
  private Accounts accounts;
  private LoginThrottle throttle;
  private Logins logins;
  private Quotas quotas;
  private FileStore files;

  @BeforeEach
  void setUp() throws Exception {
    accounts = Accounts.open(data, 1 << 20, ScramCredentials.MIN_ITERATIONS, clock::get);
    throttle = new LoginThrottle(clock::get);
    logins = new Logins(accounts, throttle);
    quotas = new Quotas(u -> 1 << 20, 1000, (u, done) -> done.accept(Tally.ZERO, null));
    files = new FileStore(data);
    for (int i = 0; i < LoginThrottle.ADDRESS_SLOWDOWN_FAILURES; i++) throttle.recordFailure("guess" + i, ADDRESS);
    assertTrue(throttle.isSlowed(ADDRESS));
  }

  private LoginFlow flow() {
    return new LoginFlow(logins, files, quotas, (delayNanos, task) -> timers.add(task), ADDRESS, "test");
  }

  private void runTimers() {
    List<Runnable> due = new ArrayList<>(timers);
    timers.clear();
    due.forEach(Runnable::run);
  }

  @Test
  void theAddressHasOnlyItsFewSlotsWhileAttemptsAreOpen() throws Refused {
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT; i++) flow().admit("someone" + i);
    assertEquals(Refusal.LOCKED_OUT, assertThrows(Refused.class, () -> flow().admit("one-more")).code());
  }

  @Test
  void anAttemptStartedAgainOnOneConnectionGivesItsSlotBackFirst() {
    LoginFlow flow = flow();
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT + 2; i++) {
      assertDoesNotThrow(() -> flow.admit("carol"));
    }
  }

  @Test
  void aSuccessfulLoginGivesItsSlotBack() throws Exception {
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT + 1; i++) {
      String user = "user" + i;
      accounts.create(user, ANY);
      LoginFlow flow = flow();
      flow.admit(user);
      List<LoginOutcome> outcomes = new ArrayList<>();
      flow.proven(user, true, outcomes::add);
      assertInstanceOf(LoginOutcome.Accepted.class, outcomes.get(0), user);
    }
  }

  @Test
  void anAbandonedFailureIsNeverAnsweredButItsSlotComesBackAfterTheDelay() throws Refused {
    List<LoginOutcome> outcomes = new ArrayList<>();
    List<LoginFlow> open = new ArrayList<>();
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT; i++) {
      LoginFlow flow = flow();
      flow.admit("mallory");
      flow.proven("mallory", false, outcomes::add);
      flow.abandon(); // the connection closed while the failure's delay ran
      open.add(flow);
    }
    assertEquals(Refusal.LOCKED_OUT, assertThrows(Refused.class, () -> flow().admit("x")).code(),
        "a failure holds its slot until its delay has passed");
    runTimers();
    assertTrue(outcomes.isEmpty(), "nobody is left to answer");
    assertDoesNotThrow(() -> flow().admit("x"));
  }

  @Test
  void aRightPasswordWhoseHomeCannotBeOpenedIsAnsweredUnavailableAndGivesItsSlotBack() throws Exception {
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT + 1; i++) {
      String user = "blocked" + i;
      accounts.create(user, ANY);
      Files.deleteIfExists(accounts.home(user)); // made empty by the registration
      Files.writeString(accounts.home(user), "a file where the home folder should be");
      LoginFlow flow = flow();
      flow.admit(user);
      List<LoginOutcome> outcomes = new ArrayList<>();
      flow.proven(user, true, outcomes::add);
      assertEquals(1, outcomes.size(), user);
      assertInstanceOf(LoginOutcome.Unavailable.class, outcomes.get(0), user);
    }
  }
}
