package dev.selectftp.server.accounts.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.testing.ThrowawayPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The heartbeat and the give-back of silent nodes on the real database: only nodes silent past the timeout lose
 * their reservations and upload locks, each once, and a silent node that was only cut off (a partition) and comes
 * back settles its old uploads harmlessly: nothing is released twice, what it stored is still counted.
 */
class NodeLivenessTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();
  @RegisterExtension
  final Nodes nodes = new Nodes(PG);
  /** Long enough that a node beating now is alive, short enough to let one fall silent in the test. */
  private static final long TIMEOUT_MILLIS = 1_500;

  @Test
  void onlyANodeSilentPastTheTimeoutLosesItsHoldsAndLocksAndOnlyOnce() throws Exception {
    PostgresAccounts a = nodes.node();
    PostgresAccounts b = nodes.node();
    a.create("ines", Nodes.credentials("pw"), 1_000);
    a.liveness("node-a").beat();
    b.liveness("node-b").beat();
    assertTrue(a.holds("node-a").reserve("ines", 300));
    assertTrue(a.locks("node-a").take("ines", "/a.bin"));
    assertTrue(b.holds("node-b").reserve("ines", 200));
    assertTrue(b.locks("node-b").take("ines", "/b.bin"));
    assertFalse(b.locks("node-b").take("ines", "/a.bin"), "node-a's name is refused to node-b");
    assertTrue(b.locks("node-b").heldElsewhereAtOrUnder("ines", "/"), "a folder holding node-a's upload");
    assertArrayEquals(new int[] {0, 0}, b.liveness("node-b").reapSilent(TIMEOUT_MILLIS), "both are alive");

    Thread.sleep(TIMEOUT_MILLIS + 200); // node-a falls silent; node-b keeps beating
    b.liveness("node-b").beat();
    assertArrayEquals(new int[] {1, 1}, b.liveness("node-b").reapSilent(TIMEOUT_MILLIS));
    assertEquals(new Usage(0, 200, 1_000), a.ledger().usage("ines").orElseThrow(), "node-b's 200 stay reserved");
    assertArrayEquals(new int[] {0, 0}, b.liveness("node-b").reapSilent(TIMEOUT_MILLIS), "nothing twice");
    assertTrue(b.locks("node-b").take("ines", "/a.bin"), "the dead node's name is free again");
    assertTrue(b.locks("node-b").take("ines", "/b.bin"), "a node takes over its own row (a lost release)");
  }

  @Test
  void aPartitionedNodesLateSettleReleasesNothingTwiceAndStillCountsWhatItStored() throws Exception {
    PostgresAccounts a = nodes.node();
    PostgresAccounts b = nodes.node();
    a.create("jana", Nodes.credentials("pw"), 1_000);
    a.liveness("node-a").beat();
    NodeHolds cutOff = a.holds("node-a");
    assertTrue(cutOff.reserve("jana", 600));
    Thread.sleep(TIMEOUT_MILLIS + 200);
    b.liveness("node-b").beat();
    assertArrayEquals(new int[] {1, 0}, b.liveness("node-b").reapSilent(TIMEOUT_MILLIS));
    assertTrue(b.holds("node-b").reserve("jana", 900), "the room came back while node-a was cut off");
    // node-a reaches the database again and ends its upload: 500 bytes stored of the 600 it had been granted.
    cutOff.settle("jana", 600, 500);
    assertEquals(new Usage(500, 900, 1_000), a.ledger().usage("jana").orElseThrow(),
        "node-b's reservation is untouched; the bytes node-a stored are counted (over the quota for a while)");
    a.liveness("node-a").beat();
    assertArrayEquals(new int[] {0, 0}, b.liveness("node-b").reapSilent(TIMEOUT_MILLIS), "node-a beats again");
  }
}
