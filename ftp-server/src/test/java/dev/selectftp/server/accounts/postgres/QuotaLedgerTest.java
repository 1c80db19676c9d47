package dev.selectftp.server.accounts.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.testing.ThrowawayPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cross-node byte quotas: reservations are one statement each, so racing nodes cannot over-commit. */
class QuotaLedgerTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();

  /** Small enough to run out many times over, odd so that no reservation size divides it. */
  private static final long QUOTA = 10_007;
  private static final int THREADS_PER_NODE = 6;

  @RegisterExtension
  final Nodes nodes = new Nodes(PG);

  @Test
  void reservationsRacingFromTwoNodesNeverExceedTheQuota() throws Exception {
    PostgresAccounts a = nodes.node();
    PostgresAccounts b = nodes.node();
    a.create("frank", Nodes.credentials("pw"), QUOTA);
    ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Long>> granted = new ArrayList<>();
    for (int i = 0; i < 2 * THREADS_PER_NODE; i++) {
      QuotaLedger ledger = (i % 2 == 0 ? a : b).ledger();
      granted.add(pool.submit(() -> {
        go.await();
        long mine = 0;
        int refusedInARow = 0;
        // Keep asking until the quota is clearly spent: small asks so the last bytes are fought over.
        while (refusedInARow < 20) {
          long want = 1 + ThreadLocalRandom.current().nextLong(97);
          Optional<Usage> after = ledger.reserve("frank", want);
          if (after.isPresent()) {
            mine += want;
            refusedInARow = 0;
            assertTrue(after.get().usedBytes() + after.get().reservedBytes() <= QUOTA, after.get().toString());
          } else {
            refusedInARow++;
          }
        }
        return mine;
      }));
    }
    go.countDown();
    long total = 0;
    for (Future<Long> f : granted) total += f.get(60, TimeUnit.SECONDS);
    pool.shutdownNow();
    Usage usage = a.ledger().usage("frank").orElseThrow();
    assertEquals(total, usage.reservedBytes(), "every granted byte is in the ledger, no more");
    assertTrue(total <= QUOTA, "granted " + total + " of a quota of " + QUOTA);
    assertTrue(total > QUOTA - 97, "the quota was used up, not left idle: " + total);
    // Tight to the byte: the last free bytes can be had, one more cannot.
    long free = QUOTA - total;
    if (free > 0) assertTrue(b.ledger().reserve("frank", free).isPresent());
    assertEquals(Optional.empty(), a.ledger().reserve("frank", 1));
  }

  @Test
  void commitTurnsAReservationIntoUseAndReleaseGivesItBack() throws Exception {
    PostgresAccounts a = nodes.node();
    a.create("gina", Nodes.credentials("pw"), 1_000);
    QuotaLedger ledger = a.ledger();
    assertEquals(new Usage(0, 600, 1_000), ledger.reserve("gina", 600).orElseThrow());
    assertEquals(Optional.empty(), ledger.reserve("gina", 401), "600 + 401 > 1000");
    assertEquals(new Usage(500, 0, 1_000), ledger.commit("gina", 600, 500).orElseThrow(), "100 unused come back");
    assertEquals(new Usage(500, 500, 1_000), ledger.reserve("gina", 500).orElseThrow());
    assertEquals(new Usage(500, 0, 1_000), ledger.release("gina", 500).orElseThrow());
    assertEquals(Optional.empty(), ledger.release("gina", 1), "nothing is reserved any more");
    assertThrows(IllegalArgumentException.class, () -> ledger.commit("gina", 10, 11));
    assertEquals(Optional.empty(), ledger.reserve("nobody", 1));
    a.remove("gina");
    assertEquals(Optional.empty(), ledger.usage("gina"), "the usage row goes with the account");
  }

  @Test
  void settleTurnsAReservationIntoUsedBytesAndACountOnlyRaisesThem() throws Exception {
    PostgresAccounts a = nodes.node();
    a.create("gina", Nodes.credentials("pw"), 1_000);
    QuotaLedger ledger = a.ledger();
    NodeHolds holds = a.holds("node-a");
    assertTrue(holds.reserve("gina", 600));
    holds.settle("gina", 600, 450); // the upload stored 450 of the 600 it held
    assertEquals(new Usage(450, 0, 1_000), ledger.usage("gina").orElseThrow());
    holds.settle("gina", 0, -500); // a delete of more than the ledger knows never goes below 0
    assertEquals(new Usage(0, 0, 1_000), ledger.usage("gina").orElseThrow());
    ledger.raiseTo("gina", 300);
    ledger.raiseTo("gina", 100); // a smaller count from another node does not lower it
    assertEquals(new Usage(300, 0, 1_000), ledger.usage("gina").orElseThrow());
    assertTrue(holds.reserve("gina", 700), "the room left is exactly the quota less the count");
    assertFalse(holds.reserve("gina", 1));
  }

  @Test
  void aRestartedNodeGivesBackOnlyItsOwnReservationsAndOnlyOnce() throws Exception {
    PostgresAccounts a = nodes.node();
    PostgresAccounts b = nodes.node();
    a.create("hugo", Nodes.credentials("pw"), 1_000);
    NodeHolds crashed = a.holds("node-a");
    NodeHolds alive = b.holds("node-b");
    assertTrue(crashed.reserve("hugo", 300));
    assertTrue(crashed.reserve("hugo", 200));
    assertTrue(alive.reserve("hugo", 400));
    assertFalse(alive.reserve("hugo", 101), "900 of 1,000 are reserved");
    assertEquals(1, a.holds("node-a").releaseAll(), "node-a starts again: one account gets bytes back");
    assertEquals(new Usage(0, 400, 1_000), a.ledger().usage("hugo").orElseThrow());
    assertEquals(0, a.holds("node-a").releaseAll(), "nothing is given back twice");
    crashed.settle("hugo", 300, 0); // a late end of a given-back hold releases nothing more
    assertEquals(new Usage(0, 400, 1_000), a.ledger().usage("hugo").orElseThrow());
    alive.settle("hugo", 400, 400);
    assertEquals(new Usage(400, 0, 1_000), a.ledger().usage("hugo").orElseThrow());
  }
}
