package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.loop.Background;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account store shared by threads and processes: a refresh on one thread leaves the store free for a
 * change on another (its lock is given back, not only re-entered by the same thread), and a store that
 * refreshes in the background sees another process's new account within a few refresh intervals.
 */
class AccountsAcrossThreadsTest {
  private static final int ITERATIONS = ScramCredentials.MIN_ITERATIONS;
  /** Far longer than a change takes; a lock never given back makes the second thread wait for ever. */
  private static final long PATIENCE_SECONDS = 10;
  @TempDir Path data;
  private final ExecutorService first = Executors.newSingleThreadExecutor();
  private final ExecutorService second = Executors.newSingleThreadExecutor();

  @AfterEach
  void tearDown() {
    first.shutdownNow();
    second.shutdownNow();
  }

  private static ScramCredentials keys() {
    return new ScramCredentials(new byte[16], ITERATIONS, new byte[32], new byte[32]);
  }

  /** Runs {@code call} on the first thread, then a registration on the second, which must finish. */
  private void secondThreadRegistersAfter(Accounts accounts, Runnable call) throws Exception {
    first.submit(call).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    User gina = second.submit(() -> accounts.create("gina", keys())).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    assertEquals("gina", gina.name());
    assertTrue(accounts.find("gina").isPresent());
  }

  @Test
  void anExplicitRefreshOnOneThreadLetsAnotherThreadRegisterAfterwards() throws Exception {
    Accounts accounts = Accounts.open(data, 0, ITERATIONS);
    secondThreadRegistersAfter(accounts, accounts::refreshIfChanged);
  }

  @Test
  void aLookupThatRefreshedOnOneThreadLetsAnotherThreadRegisterAfterwards() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    Accounts accounts = Accounts.open(data, 0, ITERATIONS, clock::get);
    Accounts.open(data, 0, ITERATIONS).create("hal", keys()); // another process's change, for the refresh to find
    clock.addAndGet(Accounts.REFRESH_INTERVAL_NANOS);
    secondThreadRegistersAfter(accounts, () -> assertTrue(accounts.find("hal").isPresent(), "the lookup refreshed"));
  }

  @Test
  void aStoreRefreshedInTheBackgroundSeesAnotherProcesssAccountWithinAFewIntervals() throws Exception {
    Accounts server = Accounts.open(data, 0, ITERATIONS);
    try (Background background = new Background("test-refresh", 1, Runnable::run)) {
      server.refreshInBackground(background);
      Accounts.open(data, 0, ITERATIONS).create("ivy", keys());
      long deadline = System.nanoTime() + 5 * Accounts.REFRESH_INTERVAL_NANOS;
      while (server.find("ivy").isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
      assertTrue(server.find("ivy").isPresent(), "not seen within 5 refresh intervals");
    }
  }

  @Test
  void theListOfUsersIncludesAnotherProcesssNewAccount() throws Exception {
    Accounts server = Accounts.open(data, 0, ITERATIONS);
    Accounts.open(data, 0, ITERATIONS).create("vic", keys());
    assertEquals(List.of("vic"), server.list().stream().map(User::name).toList());
  }
}
