package dev.selectftp.server.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Response;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node killed for good ({@code kill -9}, never restarted) while an upload on it holds a lock and a reservation:
 * the other node sees its heartbeat stop and gives both back within the timeout (shortened here to
 * {@value #SILENT_MILLIS} ms), after which the upload can be done again through the survivor.
 */
class DeadNodeGivenBackTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();
  private static final long SILENT_MILLIS = 4_000;
  @RegisterExtension
  static final Cluster CLUSTER = Cluster.silentAfter(PG, SILENT_MILLIS);
  /** The timeout, one heartbeat period of the survivor (a quarter of it) and room for a loaded machine. */
  private static final long GIVE_BACK_MILLIS = SILENT_MILLIS + 10_000;
  private static final int SIZE = 200_000;
  private static final Duration LEARN_ACCOUNT = Duration.ofSeconds(5);

  @Test
  void aNodeKilledForGoodHasItsLockAndReservationGivenBackByTheOtherWithinTheTimeout() throws Exception {
    try (RawClient c = RawClient.connect(CLUSTER.balancer().selectFtpPort())) {
      assertInstanceOf(Response.Ok.class, c.register("orphan", "pw-orphan"));
    }
    ServerNodes.Node doomed = CLUSTER.nodes().get(0);
    ServerNodes.Node survivor = CLUSTER.nodes().get(1);
    byte[] content = Sessions.filled(SIZE, 'o');
    try (RawClient dying = Sessions.onNode(doomed, "orphan", LEARN_ACCOUNT);
        RawClient redo = Sessions.onNode(survivor, "orphan", LEARN_ACCOUNT)) {
      assertInstanceOf(Response.PutReady.class, dying.offer("/big.bin", SIZE));
      assertEquals(1, locks(), "the upload holds its name on every node");
      assertEquals(SIZE, reserved(), "and its declared bytes in the ledger");

      doomed.kill();
      long killed = System.nanoTime();
      Response early = redo.offer("/big.bin", SIZE);
      Response.Error busy = assertInstanceOf(Response.Error.class, early, "a node silent for less than the timeout");
      assertEquals("busy", busy.code(), busy.message());

      long deadline = killed + TimeUnit.MILLISECONDS.toNanos(GIVE_BACK_MILLIS);
      while ((locks() > 0 || reserved() > 0) && System.nanoTime() < deadline) Thread.sleep(100);
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      assertEquals(0, locks(), "the survivor freed the dead node's lock");
      assertEquals(0, reserved(), "and gave back its reservation");
      // Its last heartbeat came up to one period (a quarter of the timeout) before the kill.
      assertTrue(tookMillis >= SILENT_MILLIS * 3 / 4 - 250, "not before the node was silent long enough: "
          + tookMillis);
      System.out.printf("[dead node] lock and reservation given back %d ms after kill -9 (timeout %d ms)%n",
          tookMillis, SILENT_MILLIS);

      Response.PutReady again = assertInstanceOf(Response.PutReady.class, redo.offer("/big.bin", SIZE));
      assertInstanceOf(Response.PutDone.class, redo.finishUpload(again, content));
    }
    assertFalse(doomed.process().isAlive(), "the dead node never came back");
    assertEquals(Sessions.sha256(content),
        Sessions.sha256(Files.readAllBytes(survivor.data().resolve("home/orphan/big.bin"))));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((locks() > 0 || reserved() > 0) && System.nanoTime() < deadline) Thread.sleep(20);
    assertEquals(0, locks());
    assertEquals(0, reserved());
  }

  private static long locks() throws Exception {
    return Sessions.count(PG, "SELECT count(*) FROM upload_locks WHERE name = 'orphan'");
  }

  private static long reserved() throws Exception {
    return Sessions.count(PG, "SELECT reserved_bytes FROM usage WHERE name = 'orphan'");
  }
}
