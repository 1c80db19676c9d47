package dev.selectftp.server.accounts.postgres;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.Settings;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Uploads waiting on the shared ledger or the shared upload locks never hold the store pool ({@code ftp-store},
 * four threads): more declared uploads than it has threads wait on a ledger that hangs, or on a database that is
 * gone, while a bystander's {@code mkdir} and {@code cd} (store calls) stay fast.
 */
class LedgerOutageTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();
  /** More than the store pool's four threads. */
  private static final int WAITERS = 6;
  /** A bystander's mkdir + cd round trip; a waiter on the store pool would hold it for the pool's 3 s wait or more. */
  private static final long BYSTANDER_MILLIS = 1_000;
  /** How long the bystander keeps working while the uploads wait. */
  private static final long WATCH_MILLIS = 3_000;

  @RegisterExtension
  final Nodes nodes = new Nodes(PG);
  private FtpServer server;
  private final List<RawClient> sessions = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(WAITERS);

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    for (RawClient c : sessions) c.close();
    if (server != null) server.close();
  }

  @Test
  void declaredUploadsWaitingOnAHungLedgerLeaveTheStorePoolToABystander() throws Exception {
    RawClient bystander = start();
    List<Future<Response>> offers;
    try (Connection hold = PG.connect(); Statement s = hold.createStatement()) {
      hold.setAutoCommit(false);
      s.execute("LOCK TABLE usage IN ACCESS EXCLUSIVE MODE"); // every reservation waits for this transaction
      offers = offerAll();
      long worst = watch(bystander);
      assertTrue(worst < BYSTANDER_MILLIS, "a bystander's mkdir + cd took " + worst + " ms");
      for (Future<Response> f : offers) assertTrue(!f.isDone(), "the uploads still wait on the ledger");
      hold.rollback();
    }
    for (Future<Response> f : offers) assertInstanceOf(Response.PutReady.class, f.get(30, TimeUnit.SECONDS));
  }

  @Test
  void declaredUploadsWhileTheDatabaseIsDownLeaveTheStorePoolToABystander() throws Exception {
    RawClient bystander = start();
    PG.stop();
    try {
      List<Future<Response>> offers = offerAll();
      long worst = watch(bystander);
      assertTrue(worst < BYSTANDER_MILLIS, "a bystander's mkdir + cd took " + worst + " ms");
      // Each is refused once its statement fails (the pool's 3 s wait, one after another on the locks' thread).
      for (Future<Response> f : offers) {
        Response.Error e = assertInstanceOf(Response.Error.class, f.get(60, TimeUnit.SECONDS));
        assertTrue(e.message().contains("unavailable"), e.message());
      }
    } finally {
      PG.start();
    }
  }

  /** The server, the accounts, a logged-in bystander and {@link #WAITERS} logged-in sessions of another user. */
  private RawClient start() throws Exception {
    server = FtpServer.start(Settings.resolve(null, Map.of("accounts", PG.url(), "data",
        nodes.folder("node").toString(), "port", "0", "ftp-port", "0", "iterations", Nodes.ITERATIONS + "",
        "tls", "off")).toServerConfig());
    for (String user : List.of("bystander", "waiter")) {
      try (RawClient c = RawClient.connect(server.port())) {
        assertInstanceOf(Response.Ok.class, c.register(user, "pw-" + user));
      }
    }
    RawClient bystander = session("bystander");
    for (int i = 0; i < WAITERS; i++) session("waiter");
    return bystander;
  }

  private RawClient session(String user) throws Exception {
    RawClient c = RawClient.connect(server.port());
    sessions.add(c);
    assertInstanceOf(Response.AuthOk.class, c.tryLogin(user, "pw-" + user));
    return c;
  }

  /** Every waiter offers a declared upload of its own name at once; the answers come when the ledger answers. */
  private List<Future<Response>> offerAll() throws InterruptedException {
    List<Future<Response>> offers = new ArrayList<>();
    for (int i = 1; i <= WAITERS; i++) {
      RawClient c = sessions.get(i);
      String path = "/waiting-" + i + ".bin";
      offers.add(pool.submit((Callable<Response>) () -> c.offer(path, 1_000)));
    }
    Thread.sleep(300); // the offers reach the server and start waiting
    return offers;
  }

  /** The bystander's slowest mkdir + cd round trip over {@link #WATCH_MILLIS}. */
  private static long watch(RawClient bystander) throws Exception {
    long worst = 0;
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WATCH_MILLIS);
    for (int i = 0; System.nanoTime() < end; i++) {
      long start = System.nanoTime();
      assertInstanceOf(Response.Ok.class, bystander.ask(new Request.MakeDir("/d" + i)));
      assertInstanceOf(Response.Cwd.class, bystander.ask(new Request.ChangeDir("/d" + i)));
      worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
    System.out.printf("[ledger outage] a bystander's slowest mkdir + cd: %d ms%n", worst);
    return worst;
  }
}
