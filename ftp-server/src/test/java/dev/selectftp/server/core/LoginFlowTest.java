package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.accounts.TestSupport;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every door does once it knows whether a password is right, without sockets: real accounts and homes in
 * a temp folder, a loop whose clock and timers move only when the test says, a file count that ends when the
 * test says.
 */
class LoginFlowTest {
  private static final String USER = "bob";
  private static final String PASSWORD = "correct horse";
  private static final String ADDRESS = "192.0.2.7";
  private static final long QUOTA = 1L << 20;
  private static final Duration BASE = LoginThrottle.BASE_DELAY;

  @TempDir Path data;
  private final FakeLoop loop = new FakeLoop();
  /** Counts asked for and not finished yet, oldest first. */
  private final List<BiConsumer<Tally, Exception>> counting = new ArrayList<>();
  private Accounts accounts;
  private FileStore files;
  private Logins logins;
  private Quotas quotas;

  /** Timers and a nanosecond clock that move only in {@link #advance}. */
  private static final class FakeLoop implements LoginFlow.Timer {
    private record Due(long at, long order, Runnable task) {}

    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at != b.at
        ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    /** Starts away from zero to catch sign mistakes. */
    private long now = -Duration.ofDays(1).toNanos();
    private long scheduled;

    @Override
    public void schedule(long delayNanos, Runnable task) {
      due.add(new Due(now + delayNanos, scheduled++, task));
    }

    long now() {
      return now;
    }

    void advance(Duration by) {
      long until = now + by.toNanos();
      while (!due.isEmpty() && due.peek().at <= until) {
        Due next = due.poll();
        now = next.at;
        next.task.run();
      }
      now = until;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    accounts = Accounts.open(data, QUOTA, ScramCredentials.MIN_ITERATIONS, loop::now);
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    new SecureRandom().nextBytes(salt);
    accounts.create(USER, ScramCredentials.derive(PASSWORD.toCharArray(), salt, ScramCredentials.MIN_ITERATIONS));
    files = new FileStore(data);
    logins = new Logins(accounts, new LoginThrottle(loop::now));
    quotas = new Quotas(u -> QUOTA, 1000, (u, done) -> counting.add(done));
  }

  private LoginFlow flow() {
    return new LoginFlow(logins, files, quotas, loop, ADDRESS, "test");
  }

  /** Admits {@code user}, proves {@code password} by a whole SCRAM exchange against what admit named. */
  private static List<LoginOutcome> attempt(LoginFlow flow, String user, String password) throws Exception {
    List<LoginOutcome> outcomes = new ArrayList<>();
    boolean right = TestSupport.login(user, password, flow.admit(user));
    flow.proven(user, right, outcomes::add);
    return outcomes;
  }

  private void finishCount() throws IOException {
    counting.remove(0).accept(files.tally(USER), null);
  }

  @Test
  void aRightPasswordLogsInOnlyOnceTheUsersFilesAreCountedAndThenAtOnce() throws Exception {
    List<LoginOutcome> first = attempt(flow(), USER, PASSWORD);
    assertEquals(List.of(), first, "nobody is logged in before the count");
    assertEquals(1, counting.size(), "one count, off the loop");
    finishCount();
    LoginOutcome.Accepted accepted = assertInstanceOf(LoginOutcome.Accepted.class, first.get(0));
    Login login = accepted.login();
    assertEquals(USER, login.user());
    assertEquals(accounts.find(USER).orElseThrow().created(), login.account());
    assertEquals("/", login.cwd());
    assertSame(files.home(USER), login.home(), "the user's own home, opened on the store pool");
    assertTrue(Files.isDirectory(data.resolve("home").resolve(USER)), "the home exists");
    assertTrue(quotas.isKnown(USER, login.account()));

    List<LoginOutcome> second = attempt(flow(), USER, PASSWORD);
    assertInstanceOf(LoginOutcome.Accepted.class, second.get(0), "counted once: the next login is answered at once");
    assertEquals(List.of(), counting);
  }

  @Test
  void aWrongPasswordIsRejectedOnlyOnceTheThrottlesGrowingDelayHasPassed() throws Exception {
    LoginFlow flow = flow();
    List<LoginOutcome> first = attempt(flow, USER, "wrong");
    loop.advance(BASE.minusNanos(1));
    assertEquals(List.of(), first, "not answered before the delay");
    loop.advance(Duration.ofNanos(1));
    assertEquals(List.of(new LoginOutcome.Rejected(BASE)), first);

    List<LoginOutcome> second = attempt(flow, USER, "wrong");
    loop.advance(BASE.multipliedBy(2).minusNanos(1));
    assertEquals(List.of(), second, "the second failure waits twice as long");
    loop.advance(Duration.ofNanos(1));
    assertEquals(List.of(new LoginOutcome.Rejected(BASE.multipliedBy(2))), second);
    assertEquals(List.of(), counting, "a failure counts no files");
  }

  @Test
  void anUnknownNameAndAnAccountRemovedBeforeTheProofFailLikeAWrongPassword() throws Exception {
    List<LoginOutcome> unknown = attempt(flow(), "nobody", PASSWORD);
    loop.advance(BASE);
    assertEquals(List.of(new LoginOutcome.Rejected(BASE)), unknown);

    LoginFlow flow = flow();
    boolean right = TestSupport.login(USER, PASSWORD, flow.admit(USER));
    assertTrue(right);
    accounts.remove(USER);
    List<LoginOutcome> removed = new ArrayList<>();
    flow.proven(USER, right, removed::add);
    loop.advance(LoginThrottle.MAX_DELAY);
    assertInstanceOf(LoginOutcome.Rejected.class, removed.get(0));
  }

  @Test
  void aLockedOutUserIsRefusedAtAdmitAndASuccessBeforeTheLockClearsTheCount() throws Exception {
    LoginFlow flow = flow();
    for (int i = 0; i < 3; i++) {
      attempt(flow, USER, "wrong");
      loop.advance(LoginThrottle.MAX_DELAY);
    }
    attempt(flow, USER, PASSWORD);
    finishCount();
    List<LoginOutcome> after = attempt(flow, USER, "wrong");
    loop.advance(BASE);
    assertEquals(List.of(new LoginOutcome.Rejected(BASE)), after, "a success starts the delays over");

    for (int i = 1; i < LoginThrottle.USER_LOCKOUT_FAILURES; i++) {
      attempt(flow, USER, "wrong");
      loop.advance(LoginThrottle.MAX_DELAY);
    }
    Refused locked = assertThrows(Refused.class, () -> flow.admit(USER));
    assertEquals(Refusal.LOCKED_OUT, locked.code());
  }

  @Test
  void anAbandonedAttemptHandsNothingOverAndAFailuresSlotComesBackOnlyAfterItsDelay() throws Exception {
    // An address under attack: failures of many names, so no name is locked.
    for (int i = 0; i < LoginThrottle.ADDRESS_SLOWDOWN_FAILURES; i++) {
      attempt(flow(), "guess" + i, "wrong");
      loop.advance(LoginThrottle.MAX_DELAY);
    }
    List<LoginFlow> inFlight = new ArrayList<>();
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT; i++) {
      LoginFlow f = flow();
      f.admit(USER);
      inFlight.add(f);
    }
    LoginFlow waiting = flow();
    assertEquals(Refusal.LOCKED_OUT, assertThrows(Refused.class, () -> waiting.admit(USER)).code(), "no slot left");

    inFlight.get(0).abandon(); // a connection closed before its proof: its slot comes back at once
    waiting.admit(USER);

    LoginFlow failing = inFlight.get(1);
    List<LoginOutcome> outcomes = new ArrayList<>();
    failing.proven(USER, false, outcomes::add);
    failing.abandon(); // the connection closed during the failure's delay
    LoginFlow next = flow();
    assertThrows(Refused.class, () -> next.admit(USER), "a failure's slot is held through its delay");
    loop.advance(LoginThrottle.MAX_DELAY);
    assertEquals(List.of(), outcomes, "nothing is handed to a closed connection");
    next.admit(USER);
  }

  @Test
  void aFailedCountLogsNobodyInAndTheNextLoginCountsAgain() throws Exception {
    List<LoginOutcome> first = attempt(flow(), USER, PASSWORD);
    IOException broken = new IOException("disk gone");
    counting.remove(0).accept(null, broken);
    assertEquals(List.of(new LoginOutcome.Unavailable(broken)), first);

    LoginFlow closing = flow();
    List<LoginOutcome> abandoned = attempt(closing, USER, PASSWORD);
    closing.abandon(); // the connection closed while the files were counted
    List<LoginOutcome> waiting = attempt(flow(), USER, PASSWORD);
    assertEquals(1, counting.size(), "one count for every session waiting for it");
    finishCount();
    assertEquals(List.of(), abandoned);
    assertInstanceOf(LoginOutcome.Accepted.class, waiting.get(0));
  }
}
