package dev.selectftp.server.nodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Response;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code kill -9} of one node behind HAProxy: its clients are cut, everyone who connects again reaches the other. */
class NodeKilledTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();
  @RegisterExtension
  static final Cluster CLUSTER = new Cluster(PG);
  /** HAProxy checks every second and drops a node after one failed check; room for a loaded machine. */
  private static final long FAILOVER_SECONDS = 10;

  @Test
  void afterKillNineOfOneNodeEveryNewSessionReachesTheOther() throws Exception {
    int port = CLUSTER.balancer().selectFtpPort();
    try (RawClient c = RawClient.connect(port)) {
      assertInstanceOf(Response.Ok.class, c.register("survivor", "pw-survivor"));
    }
    // Round robin: the registration went to one node (it made the home there), this session to the other.
    ServerNodes.Node registering = CLUSTER.nodes().stream()
        .filter(n -> Files.isDirectory(n.data().resolve("home/survivor"))).findFirst().orElseThrow();
    ServerNodes.Node doomed = CLUSTER.nodes().stream().filter(n -> n != registering).findFirst().orElseThrow();
    byte[] content = "kept by the survivor".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (RawClient onDoomed = loggedIn(port)) {
      doomed.kill();
      assertThrows(IOException.class, () -> {
        onDoomed.upload("/after.txt", content);
        onDoomed.upload("/after.txt", content); // the first write may still reach the dead socket's buffer
      }, "the killed node's client is cut");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FAILOVER_SECONDS);
    int inARow = 0;
    while (inARow < 4) { // four sessions in a row: with round robin, both backends were asked twice
      assertTrue(System.nanoTime() < deadline, "sessions still reach the killed node after " + FAILOVER_SECONDS + " s");
      try (RawClient c = RawClient.connect(port)) {
        Response r = c.tryLogin("survivor", "pw-survivor");
        assertInstanceOf(Response.AuthOk.class, r);
        assertInstanceOf(Response.PutDone.class, c.upload("/after.txt", content));
        inARow++;
      } catch (IOException cutOff) {
        inARow = 0; // reached the dead node before HAProxy's check noticed
        Thread.sleep(100);
      }
    }
    assertArrayEquals(content, Files.readAllBytes(registering.data().resolve("home/survivor/after.txt")));
  }

  private static RawClient loggedIn(int port) throws Exception {
    RawClient c = RawClient.connect(port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1); // until the NOTIFY reached this node
    Response r = c.tryLogin("survivor", "pw-survivor");
    while (!(r instanceof Response.AuthOk) && System.nanoTime() < deadline) r = c.tryLogin("survivor", "pw-survivor");
    assertInstanceOf(Response.AuthOk.class, r);
    return c;
  }
}
