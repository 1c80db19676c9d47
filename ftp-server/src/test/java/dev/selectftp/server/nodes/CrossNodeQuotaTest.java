package dev.selectftp.server.nodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.time.Duration;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * One user's quota across two nodes behind HAProxy: each node only sees its own data folder, so its in-memory
 * check alone would let both fill the quota; the shared ledger in PostgreSQL (QuotaLedger, one atomic
 * statement per reservation) is what holds the total: before the first byte for a declared size, and last just
 * before the publish.
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

  @Test
  void aDeleteThroughOneNodeFreesTheRoomForUploadsThroughTheOther(@TempDir Path dir) throws Exception {
    int port = CLUSTER.balancer().selectFtpPort();
    try (RawClient c = RawClient.connect(port)) {
      assertInstanceOf(Response.Ok.class, c.register("freer", "pw-freer"));
    }
    PG.execute("UPDATE users SET quota_bytes = 20000 WHERE name = 'freer'");
    try (RawClient a = loggedIn(port, "freer"); RawClient b = loggedIn(port, "freer")) {
      assertInstanceOf(Response.PutDone.class, a.upload("/big.bin", new byte[15_000]));
      awaitLedger("freer", 15_000);
      // The other node stores nothing of freer's: only the ledger knows the room is taken.
      Response.Error refused = assertInstanceOf(Response.Error.class, b.upload("/more.bin", new byte[10_000]));
      assertEquals("quota-exceeded", refused.code());
      assertTrue(refused.message().contains("on all servers together"), refused.message());
      // Delete over FTP: the node holding the file answers 250, the other 550; only a real delete frees bytes.
      int ftp = CLUSTER.balancer().ftpPort();
      for (int attempt = 0; attempt < 2; attempt++) {
        new ProcessBuilder("curl", "-sS", "-Q", "DELE /big.bin", "ftp://freer:pw-freer@127.0.0.1:" + ftp + "/")
            .redirectErrorStream(true).redirectOutput(dir.resolve("curl" + attempt + ".out").toFile())
            .start().waitFor(60, TimeUnit.SECONDS);
      }
      for (ServerNodes.Node n : CLUSTER.nodes()) assertFalse(Files.exists(n.data().resolve("home/freer/big.bin")));
      awaitLedger("freer", 0);
      assertInstanceOf(Response.PutDone.class, b.upload("/more.bin", new byte[10_000]));
    }
  }

  @Test
  void anUploadOverTheRoomLeftOnAllNodesIsRefusedBeforeItsFirstByteThroughBothDoors(@TempDir Path dir)
      throws Exception {
    int port = withOneFileOnEachNode("early");
    try (RawClient a = loggedIn(port, "early")) {
      // Each node alone sees 12,000 bytes free; only the ledger knows that 4,000 are left on all nodes together.
      Response first = a.offer("/over.bin", 10_000);
      Response.Error refused = assertInstanceOf(Response.Error.class, first, "refused instead of put-ready");
      assertEquals("quota-exceeded", refused.code());
      assertTrue(refused.message().contains("on all servers together"), refused.message());
    }
    // FTP: ALLO declares the size (each node alone has room for it), STOR gets 552 instead of 150.
    Path script = Files.writeString(dir.resolve("allo.py"), """
        import ftplib, io, sys
        f = ftplib.FTP()
        f.trust_server_pasv_ipv4_address = True
        f.connect("127.0.0.1", int(sys.argv[1]), timeout=20)
        f.login("early", "pw-early")
        print("ALLO", f.sendcmd("ALLO 10000"))
        sent = [0]
        def count(block): sent[0] += len(block)
        try:
            f.storbinary("STOR ftp-over.bin", io.BytesIO(bytes(10000)), 1000, count)
            print("STORED", sent[0])
        except ftplib.error_perm as e:
            print("REFUSED", sent[0], e)
        f.quit()
        """);
    String out = python(dir, script, CLUSTER.balancer().ftpPort());
    assertTrue(out.contains("ALLO 200"), out);
    assertTrue(out.contains("REFUSED 0 552"), "552 before any byte was sent: " + out);
    for (ServerNodes.Node n : CLUSTER.nodes()) {
      assertEquals(8_000, bytesUnder(n.data().resolve("home/early")), "no partial was written: " + n.data());
    }
    awaitLedger("early", 16_000);
    assertEquals(0, ledger("early")[1], "the refused uploads hold nothing in the ledger");
    for (String path : List.of("/over.bin", "/ftp-over.bin")) {
      String line = awaitTransferLine("\"path\":\"" + path + "\"");
      assertTrue(line.contains("\"bytes\":0,") && line.contains("\"result\":\"quota-exceeded\""), line);
    }
  }

  /**
   * FTP's STOR without ALLO declares no size: each node alone has room for the bytes as they arrive, and only
   * the ledger's grant just before the publish, the last guard, refuses them; nothing is published.
   */
  @Test
  void anUploadOfUnknownSizeOverTheRoomLeftOnAllNodesIsRefusedAtItsEndAndNothingIsPublished(@TempDir Path dir)
      throws Exception {
    withOneFileOnEachNode("late");
    Path script = Files.writeString(dir.resolve("stor.py"), String.join("\n",
        "import ftplib, io, sys",
        "f = ftplib.FTP()",
        "f.trust_server_pasv_ipv4_address = True",
        "f.connect('127.0.0.1', int(sys.argv[1]), timeout=20)",
        "f.login('late', 'pw-late')",
        "try:",
        "    print('STORED', f.storbinary('STOR unknown.bin', io.BytesIO(bytes(10000)), 1000))",
        "except ftplib.Error as e:",
        "    print('REFUSED', e)",
        "f.quit()", ""));
    String out = python(dir, script, CLUSTER.balancer().ftpPort());
    assertTrue(out.contains("REFUSED 552"), "refused once every byte arrived: " + out);
    long held = 0;
    for (ServerNodes.Node n : CLUSTER.nodes()) {
      assertFalse(Files.exists(n.data().resolve("home/late/unknown.bin")), "nothing published: " + n.data());
      held += bytesUnder(n.data().resolve("home/late")); // a partial kept for a REST counts too
    }
    assertTrue(held <= 20_000, "both nodes together hold " + held + " bytes of a 20,000-byte quota");
  }

  /**
   * Registers {@code user} (password {@code pw-USER}) with a 20,000-byte quota and stores 8,000 bytes through
   * each node (round robin), so each node alone sees 12,000 bytes free and the ledger 4,000; the SelectFTP port.
   */
  private static int withOneFileOnEachNode(String user) throws Exception {
    int port = CLUSTER.balancer().selectFtpPort();
    try (RawClient c = RawClient.connect(port)) {
      assertInstanceOf(Response.Ok.class, c.register(user, "pw-" + user));
    }
    PG.execute("UPDATE users SET quota_bytes = 20000 WHERE name = '" + user + "'");
    try (RawClient a = loggedIn(port, user); RawClient b = loggedIn(port, user)) {
      assertInstanceOf(Response.PutDone.class, a.upload("/one.bin", new byte[8_000]));
      assertInstanceOf(Response.PutDone.class, b.upload("/two.bin", new byte[8_000]));
    }
    for (ServerNodes.Node n : CLUSTER.nodes()) {
      assertEquals(8_000, bytesUnder(n.data().resolve("home/" + user)), "round robin: one file on each node");
    }
    awaitLedger(user, 16_000);
    return port;
  }

  /**
   * The transfer-log line of any node that contains {@code text}, waiting for the asynchronous appender. Under the
   * tests' logback-test.xml the nodes write every logger, the transfer log's too, to one test.log.
   */
  private static String awaitTransferLine(String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      for (ServerNodes.Node n : CLUSTER.nodes()) {
        Path log = n.data().resolve("logs/test.log");
        if (!Files.exists(log)) continue;
        for (String line : Files.readAllLines(log)) {
          if (line.contains(" transfer - ") && line.contains(text)) return line;
        }
      }
      if (System.nanoTime() > deadline) throw new AssertionError("no transfer-log line with " + text);
      Thread.sleep(50);
    }
  }

  private static String python(Path dir, Path script, int port) throws Exception {
    Path out = dir.resolve(script.getFileName() + ".out");
    Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(port)).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the FTP client finished");
    String text = Files.readString(out);
    assertEquals(0, p.exitValue(), text);
    return text;
  }

  @Test
  void aFreshCountRaisesTheLedgerButAnotherNodesSmallerCountNeverLowersIt() throws Exception {
    int port = CLUSTER.balancer().selectFtpPort();
    try (RawClient c = RawClient.connect(port)) {
      assertInstanceOf(Response.Ok.class, c.register("seeded", "pw-seeded"));
    }
    // Files from before the ledger knew them (an imported home): the registering node (round robin: the
    // next login goes to the other) holds 3,000 bytes, the other 5,000.
    Path registered = CLUSTER.nodes().stream().map(n -> n.data().resolve("home/seeded"))
        .filter(Files::isDirectory).findFirst().orElseThrow();
    for (ServerNodes.Node n : CLUSTER.nodes()) {
      Path home = Files.createDirectories(n.data().resolve("home/seeded"));
      Files.write(home.resolve("old.bin"), new byte[home.equals(registered) ? 3_000 : 5_000]);
    }
    assertArrayEquals(new long[] {0, 0}, ledger("seeded"));
    try (RawClient other = loggedIn(port, "seeded")) {
      awaitLedger("seeded", 5_000);
      try (RawClient first = loggedIn(port, "seeded")) {
        Thread.sleep(500); // the count's statement runs right after the login
        assertArrayEquals(new long[] {5_000, 0}, ledger("seeded"), "the smaller count did not lower the ledger");
      }
    }
  }

  private static void awaitLedger(String user, long used) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ledger(user)[0] != used && System.nanoTime() < deadline) Thread.sleep(20);
    assertEquals(used, ledger(user)[0], "used_bytes of " + user);
  }

  private static RawClient loggedIn(int port) throws Exception {
    return loggedIn(port, "shared");
  }

  /** Logged in as {@code user}, retried on the same connection while the node learns of the account. */
  private static RawClient loggedIn(int port, String user) throws Exception {
    return Sessions.loggedIn(port, user, Duration.ofSeconds(3));
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
