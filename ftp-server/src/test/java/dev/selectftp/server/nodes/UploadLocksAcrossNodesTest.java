package dev.selectftp.server.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayHaproxy;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload locks across nodes: two sessions of one user on two nodes (each connected to its node directly) race a
 * {@code put} of one name; the shared {@code upload_locks} table lets exactly one begin and refuses the other before
 * any byte, as a second session on the same node is refused. Deletes and renames through the other node wait too.
 */
class UploadLocksAcrossNodesTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();
  @RegisterExtension
  static final Cluster CLUSTER = new Cluster(PG);
  private static final int ROUNDS = 6;
  private static final int SIZE = 64 * 1024;
  private static final Duration LEARN_ACCOUNT = Duration.ofSeconds(5);
  /** A lock is given back by one statement queued after the reply; room for a loaded machine. */
  private static final Duration GIVE_BACK = Duration.ofSeconds(5);

  @TempDir
  Path dir;

  @Test
  void twoNodesRacingOnePutAcceptExactlyOneBeforeAnyByteAndStoreItsBytes() throws Exception {
    register("racer");
    ServerNodes.Node first = CLUSTER.nodes().get(0);
    ServerNodes.Node second = CLUSTER.nodes().get(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (RawClient a = Sessions.onNode(first, "racer", LEARN_ACCOUNT);
        RawClient b = Sessions.onNode(second, "racer", LEARN_ACCOUNT)) {
      for (int round = 0; round < ROUNDS; round++) {
        String name = "race-" + round + ".bin";
        byte[] fromA = Sessions.filled(SIZE, 'a' + round);
        byte[] fromB = Sessions.filled(SIZE, 'A' + round);
        Race race = race(pool, a, b, "/" + name, SIZE);
        boolean aWon = race.winner() == a;
        RawClient winner = race.winner();
        byte[] bytes = aWon ? fromA : fromB;
        Path winnerHome = (aWon ? first : second).data().resolve("home/racer");
        Path loserHome = (aWon ? second : first).data().resolve("home/racer");
        assertInstanceOf(Response.PutDone.class, winner.finishUpload(race.ready(), bytes));
        assertEquals(Sessions.sha256(bytes), Sessions.sha256(Files.readAllBytes(winnerHome.resolve(name))));
        assertFalse(Files.exists(loserHome.resolve(name)), "the refused node wrote nothing");
        assertFalse(Files.exists(loserHome.resolve(name + ".selectftp-part")), "not even a partial");
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, locksSoon(), "every lock was given back after its publish");
  }

  @Test
  void aNameUploadedOnOneNodeCannotBeDeletedRenamedPutOrStoredThroughTheOther() throws Exception {
    register("holder");
    ServerNodes.Node first = CLUSTER.nodes().get(0);
    ServerNodes.Node second = CLUSTER.nodes().get(1);
    byte[] content = Sessions.filled(SIZE, 'h');
    try (RawClient writer = Sessions.onNode(first, "holder", LEARN_ACCOUNT);
        RawClient other = Sessions.onNode(second, "holder", LEARN_ACCOUNT)) {
      assertInstanceOf(Response.PutDone.class, other.upload("/there.bin", content), "a file on the second node");
      for (RawClient c : List.of(writer, other)) {
        assertInstanceOf(Response.Ok.class, c.ask(new Request.MakeDir("/docs")));
      }
      Response.PutReady ready = assertInstanceOf(Response.PutReady.class, writer.offer("/docs/held.bin", SIZE));
      assertEquals(1, count("SELECT count(*) FROM upload_locks WHERE name = 'holder' AND path = '/docs/held.bin'"));

      assertBusy(other.offer("/docs/held.bin", SIZE));
      assertBusy(other.ask(new Request.Delete("/docs/held.bin")));
      assertBusy(other.ask(new Request.Delete("/docs")));
      assertBusy(other.ask(new Request.Rename("/there.bin", "/docs/held.bin")));
      // FTP's STOR through the other node's own FTP port: 450, as for a second session on one node.
      Path local = Files.write(dir.resolve("stor.bin"), content);
      Process curl = new ProcessBuilder("curl", "-sS", "--interface", ThrowawayHaproxy.DIRECT_CLIENT_ADDRESS,
          "-T", local.toString(), "ftp://holder:pw-holder@"
          + ThrowawayHaproxy.NODE_ADDRESS + ":" + second.ports().ftpPort() + "/docs/held.bin")
          .redirectErrorStream(true).start();
      String said = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
      assertTrue(curl.exitValue() != 0 && said.contains("450"), "curl: " + said);
      assertFalse(Files.exists(second.data().resolve("home/holder/docs/held.bin")), "STOR wrote nothing");

      assertInstanceOf(Response.PutDone.class, writer.finishUpload(ready, content));
      // Given back after the publish (one statement, a moment after put-done): the other node may write it now.
      assertEquals(0, locksSoon());
      assertInstanceOf(Response.PutDone.class, other.upload("/docs/held.bin", Sessions.filled(SIZE, 'o')));
    }
    assertEquals(0, locksSoon());
  }

  /** The winner of a race and its put-ready. */
  record Race(RawClient winner, Response.PutReady ready) {}

  /**
   * {@code a} and {@code b} offer {@code path} at the same moment; asserts that exactly one got put-ready and the
   * other a refusal before any byte, as a second session on one node gets.
   */
  static Race race(ExecutorService pool, RawClient a, RawClient b, String path, int size) throws Exception {
    CyclicBarrier together = new CyclicBarrier(2);
    List<Future<Response>> offers = new ArrayList<>();
    for (RawClient c : List.of(a, b)) {
      offers.add(pool.submit((Callable<Response>) () -> {
        together.await();
        return c.offer(path, size);
      }));
    }
    Response answerA = offers.get(0).get(30, TimeUnit.SECONDS);
    Response answerB = offers.get(1).get(30, TimeUnit.SECONDS);
    boolean aWon = answerA instanceof Response.PutReady;
    boolean bWon = answerB instanceof Response.PutReady;
    assertTrue(aWon ^ bWon, path + ": exactly one put-ready, got " + answerA + " and " + answerB);
    Response.Error refused = assertInstanceOf(Response.Error.class, aWon ? answerB : answerA);
    assertEquals("busy", refused.code(), refused.message());
    assertTrue(refused.message().contains("being uploaded by another session"), refused.message());
    return new Race(aWon ? a : b, (Response.PutReady) (aWon ? answerA : answerB));
  }

  private static void assertBusy(Response r) {
    Response.Error e = assertInstanceOf(Response.Error.class, r);
    assertEquals("busy", e.code(), e.message());
  }

  private static void register(String user) throws Exception {
    try (RawClient c = RawClient.connect(CLUSTER.balancer().selectFtpPort())) {
      assertInstanceOf(Response.Ok.class, c.register(user, "pw-" + user));
    }
  }

  /** The upload locks held, once none is left or after {@link #GIVE_BACK}: each is given back asynchronously. */
  private static long locksSoon() throws Exception {
    long deadline = System.nanoTime() + GIVE_BACK.toNanos();
    long held;
    while ((held = count("SELECT count(*) FROM upload_locks")) > 0 && System.nanoTime() < deadline) Thread.sleep(20);
    return held;
  }

  private static long count(String sql) throws Exception {
    return Sessions.count(PG, sql);
  }
}
