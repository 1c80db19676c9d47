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
 * A node that is alive but silent past the timeout ({@code kill -STOP}, as a long pause or a partition from
 * PostgreSQL looks to the others) loses its upload lock under it; the other node takes the name, and when the
 * paused node wakes up its upload is not published over the other's file: its commit is refused.
 */
class PausedNodeTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();
  private static final long SILENT_MILLIS = 4_000;
  @RegisterExtension
  static final Cluster CLUSTER = Cluster.silentAfter(PG, SILENT_MILLIS);
  private static final long GIVE_BACK_MILLIS = SILENT_MILLIS + 10_000;
  private static final int SIZE = 100_000;
  private static final Duration LEARN_ACCOUNT = Duration.ofSeconds(5);

  @Test
  void aNodePausedPastTheTimeoutDoesNotPublishOverTheNameTheOtherNodeTookMeanwhile() throws Exception {
    try (RawClient c = RawClient.connect(CLUSTER.balancer().selectFtpPort())) {
      assertInstanceOf(Response.Ok.class, c.register("sleeper", "pw-sleeper"));
    }
    ServerNodes.Node paused = CLUSTER.nodes().get(0);
    ServerNodes.Node other = CLUSTER.nodes().get(1);
    byte[] late = Sessions.filled(SIZE, 'l');
    byte[] taken = Sessions.filled(SIZE, 't');
    try (RawClient sleeping = Sessions.onNode(paused, "sleeper", LEARN_ACCOUNT);
        RawClient awake = Sessions.onNode(other, "sleeper", LEARN_ACCOUNT)) {
      Response.PutReady ready = assertInstanceOf(Response.PutReady.class, sleeping.offer("/same.bin", SIZE));
      signal(paused, "STOP");
      try {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GIVE_BACK_MILLIS);
        while (locks() > 0 && System.nanoTime() < deadline) Thread.sleep(100);
        assertEquals(0, locks(), "the other node took the silent node for dead");
        assertInstanceOf(Response.PutDone.class, awake.upload("/same.bin", taken), "and may write the name");
      } finally {
        signal(paused, "CONT");
      }
      Response refused = sleeping.finishUpload(ready, late);
      Response.Error error = assertInstanceOf(Response.Error.class, refused, "the woken node's commit");
      assertEquals("busy", error.code(), error.message());
      assertTrue(error.message().contains("cut off"), error.message());
    }
    assertFalse(Files.exists(paused.data().resolve("home/sleeper/same.bin")), "nothing published by the woken node");
    assertEquals(Sessions.sha256(taken),
        Sessions.sha256(Files.readAllBytes(other.data().resolve("home/sleeper/same.bin"))));
  }

  private static void signal(ServerNodes.Node node, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process().pid())).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, kill.exitValue(), "kill -" + signal);
  }

  private static long locks() throws Exception {
    return Sessions.count(PG, "SELECT count(*) FROM upload_locks WHERE name = 'sleeper'");
  }
}
