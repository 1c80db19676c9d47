package dev.selectftp.server.nodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Response;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the node in the middle of an upload behind HAProxy: its client is cut, everyone who connects
 * again reaches the other node, and the quota ledger gets the dead upload's reservation back when the node starts
 * again on its data folder.
 */
class NodeKilledTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();
  @RegisterExtension
  static final Cluster CLUSTER = new Cluster(PG);
  /** HAProxy checks every second and drops a node after one failed check; room for a loaded machine. */
  private static final long FAILOVER_SECONDS = 10;
  private static final int SLOW_BYTES = 4 << 20;

  @TempDir
  Path dir;

  @Test
  void killNineMidUploadMovesEveryNewSessionToTheOtherNodeAndTheRestartGivesTheReservationBack() throws Exception {
    int port = CLUSTER.balancer().selectFtpPort();
    try (RawClient c = RawClient.connect(port)) {
      assertInstanceOf(Response.Ok.class, c.register("survivor", "pw-survivor"));
    }
    // A slow FTP upload (curl, undeclared size: the node asks the ledger for room ahead as bytes arrive).
    Path big = dir.resolve("big.bin");
    Files.write(big, new byte[SLOW_BYTES]);
    Process curl = new ProcessBuilder("curl", "-sS", "--limit-rate", "256k", "-T", big.toString(),
        "ftp://survivor:pw-survivor@127.0.0.1:" + CLUSTER.balancer().ftpPort() + "/slow.bin")
        .redirectErrorStream(true).redirectOutput(dir.resolve("curl.out").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (reserved() == 0 && curl.isAlive()) {
      assertTrue(System.nanoTime() < deadline, "the upload holds room in the ledger");
      Thread.sleep(50);
    }
    ServerNodes.Node doomed = CLUSTER.nodes().stream().filter(NodeKilledTest::holdsAPartial).findFirst().orElseThrow();
    ServerNodes.Node survivor = CLUSTER.nodes().stream().filter(n -> n != doomed).findFirst().orElseThrow();
    doomed.kill();
    assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
    assertTrue(curl.exitValue() != 0, "curl's upload was cut");
    long leftBehind = reserved();
    assertTrue(leftBehind > 0, "nothing gave the dead upload's reservation back yet");

    byte[] content = "kept by the survivor".getBytes(StandardCharsets.UTF_8);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FAILOVER_SECONDS);
    int inARow = 0;
    while (inARow < 4) { // four sessions in a row: with round robin, both backends were asked twice
      assertTrue(System.nanoTime() < deadline, "sessions still reach the killed node after " + FAILOVER_SECONDS + " s");
      try (RawClient c = RawClient.connect(port)) {
        assertInstanceOf(Response.AuthOk.class, c.tryLogin("survivor", "pw-survivor"));
        assertInstanceOf(Response.PutDone.class, c.upload("/after.txt", content));
        inARow++;
      } catch (IOException cutOff) {
        inARow = 0; // reached the dead node before HAProxy's check noticed
        Thread.sleep(100);
      }
    }
    assertArrayEquals(content, Files.readAllBytes(survivor.data().resolve("home/survivor/after.txt")));
    assertEquals(leftBehind, reserved(), "the survivor's uploads did not touch the dead node's reservation");

    CLUSTER.restart(doomed);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (reserved() != 0 && System.nanoTime() < deadline) Thread.sleep(50);
    assertEquals(0, reserved(), "the restarted node gave back what its dead upload held");
  }

  private static boolean holdsAPartial(ServerNodes.Node n) {
    Path home = n.data().resolve("home/survivor");
    if (!Files.isDirectory(home)) return false;
    try (Stream<Path> all = Files.walk(home)) {
      return all.anyMatch(p -> p.getFileName().toString().endsWith(".selectftp-part"));
    } catch (IOException e) {
      return false;
    }
  }

  private static long reserved() throws Exception {
    try (Connection c = PG.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT reserved_bytes FROM usage WHERE name = 'survivor'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
