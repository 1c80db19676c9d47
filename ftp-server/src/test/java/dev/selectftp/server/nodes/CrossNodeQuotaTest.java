package dev.selectftp.server.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Response;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One user's quota across two nodes behind HAProxy: each node only sees its own data folder, so its in-memory
 * check alone would let both fill the quota; the shared ledger in PostgreSQL (QuotaLedger, one atomic
 * statement per reservation) is what holds the total.
 */
class CrossNodeQuotaTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();
  private static final long QUOTA = 100_000;
  private static final int FILE_BYTES = 7_000;
  @RegisterExtension
  static final Cluster CLUSTER = new Cluster(PG);

  @Test
  void clientsOnTwoNodesUploadingAtOnceNeverExceedTheQuotaByAByte() throws Exception {
    int port = CLUSTER.balancer().selectFtpPort();
    try (RawClient c = RawClient.connect(port)) {
      assertInstanceOf(Response.Ok.class, c.register("shared", "pw-shared"));
    }
    PG.execute("UPDATE users SET quota_bytes = " + QUOTA + " WHERE name = 'shared'");
    // Round robin: the two clients are served by different nodes. Each logs in once both nodes know the
    // new quota (NOTIFY), then both upload small files as fast as they can until refused.
    RawClient a = loggedIn(port);
    RawClient b = loggedIn(port);
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Response.Error>> refusals = new ArrayList<>();
    try {
      for (RawClient c : List.of(a, b)) {
        String prefix = c == a ? "/a" : "/b";
        refusals.add(pool.submit((Callable<Response.Error>) () -> {
          together.await();
          byte[] content = new byte[FILE_BYTES];
          for (int i = 0; ; i++) {
            Arrays.fill(content, (byte) i);
            Response r = c.upload(prefix + i + ".bin", content);
            if (r instanceof Response.Error e) return e;
            assertInstanceOf(Response.PutDone.class, r);
          }
        }));
      }
      for (Future<Response.Error> f : refusals) {
        Response.Error e = f.get(120, TimeUnit.SECONDS);
        assertEquals("quota-exceeded", e.code(), e.message());
        assertTrue(e.message().contains("quota"), e.message());
      }
    } finally {
      pool.shutdownNow();
      a.close();
      b.close();
    }
    long stored = 0;
    for (ServerNodes.Node n : CLUSTER.nodes()) {
      long here = bytesUnder(n.data().resolve("home/shared"));
      assertTrue(here > 0, "both nodes stored some of the files: " + n.data());
      stored += here;
    }
    System.out.printf("[cross-node quota] %d bytes stored of %d by two nodes%n", stored, QUOTA);
    assertTrue(stored <= QUOTA, "both nodes together store " + stored + " bytes of a " + QUOTA + "-byte quota");
    assertTrue(stored > QUOTA - 2 * FILE_BYTES, "the quota was used up to the last files: " + stored);
    // The ledger follows what is stored once the last statements are in (they run right after each end).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long[] ledger;
    do {
      ledger = ledger("shared");
    } while ((ledger[0] != stored || ledger[1] != 0) && System.nanoTime() < deadline && pause());
    assertEquals(stored, ledger[0], "the ledger's used_bytes is what both nodes store");
    assertEquals(0, ledger[1], "no reservation is left once every upload ended");
  }

  private static RawClient loggedIn(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (true) {
      RawClient c = RawClient.connect(port);
      Response r = c.tryLogin("shared", "pw-shared");
      if (r instanceof Response.AuthOk) return c;
      c.close();
      assertTrue(System.nanoTime() < deadline, "login: " + r);
      Thread.sleep(50);
    }
  }

  private static boolean pause() throws InterruptedException {
    Thread.sleep(50);
    return true;
  }

  /** Every regular file under the home, partials included. */
  private static long bytesUnder(Path home) throws Exception {
    if (!Files.exists(home)) return 0;
    try (Stream<Path> all = Files.walk(home)) {
      long sum = 0;
      for (Path p : all.filter(Files::isRegularFile).toList()) sum += Files.size(p);
      return sum;
    }
  }

  /** {@code [used_bytes, reserved_bytes]} of the user's ledger row. */
  private static long[] ledger(String user) throws Exception {
    try (Connection c = PG.connect();
        PreparedStatement s = c.prepareStatement("SELECT used_bytes, reserved_bytes FROM usage WHERE name = ?")) {
      s.setString(1, user);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }
}
