package dev.selectftp.server.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.selectftp.common.Response;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayPostgres;
import dev.selectftp.server.testing.ThrowawayS3;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the homes on one S3 store, two nodes racing one {@code put} of one name would write the same object: the
 * shared upload lock lets one of them, and the file both nodes then serve is the accepted upload's bytes.
 */
class SharedHomesLocksTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();
  @RegisterExtension
  static final ThrowawayS3 STORE = new ThrowawayS3();
  @RegisterExtension
  static final Cluster CLUSTER = new Cluster(PG, STORE);
  private static final int ROUNDS = 3;
  private static final int SIZE = 100_000;
  private static final Duration LEARN_ACCOUNT = Duration.ofSeconds(5);

  @Test
  void twoNodesRacingOnePutOnSharedHomesLeaveTheAcceptedBytesOnBoth() throws Exception {
    try (RawClient c = RawClient.connect(CLUSTER.balancer().selectFtpPort())) {
      assertInstanceOf(Response.Ok.class, c.register("s3racer", "pw-s3racer"));
    }
    ServerNodes.Node first = CLUSTER.nodes().get(0);
    ServerNodes.Node second = CLUSTER.nodes().get(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (RawClient a = Sessions.onNode(first, "s3racer", LEARN_ACCOUNT);
        RawClient b = Sessions.onNode(second, "s3racer", LEARN_ACCOUNT)) {
      for (int round = 0; round < ROUNDS; round++) {
        String path = "/shared-" + round + ".bin";
        UploadLocksAcrossNodesTest.Race race = UploadLocksAcrossNodesTest.race(pool, a, b, path, SIZE);
        byte[] bytes = Sessions.filled(SIZE, (race.winner() == a ? 'a' : 'b') + round);
        assertInstanceOf(Response.PutDone.class, race.winner().finishUpload(race.ready(), bytes));
        for (RawClient reader : new RawClient[] {a, b}) {
          assertEquals(Sessions.sha256(bytes), Sessions.sha256(reader.download(path)), "served by both nodes");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
