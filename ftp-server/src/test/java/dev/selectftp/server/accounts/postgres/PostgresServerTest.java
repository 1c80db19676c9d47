package dev.selectftp.server.accounts.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.Settings;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real server with {@code accounts = postgresql://...}: SCRAM logins and registrations over loopback with
 * the raw protocol client, two servers sharing one database, and PostgreSQL going away under a running server.
 */
class PostgresServerTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();

  /** How long the pool waits for a dead database (3 s) plus room for a loaded machine. */
  private static final long UNAVAILABLE_ANSWER_MILLIS = 10_000;
  /** How long the pool may take to reconnect after the database is back. */
  private static final int RECONNECT_SECONDS = 15;

  @RegisterExtension
  final Nodes nodes = new Nodes(PG);
  private FtpServer first;
  private FtpServer second;

  @AfterEach
  void stop() throws Exception {
    if (first != null) first.close();
    if (second != null) second.close();
  }

  /** A server on port 0 configured as the operator would: settings with the accounts option. */
  private FtpServer serve(String data) throws Exception {
    Settings s = Settings.resolve(null, Map.of("accounts", PG.url(), "data", nodes.folder(data).toString(),
        "port", "0", "ftp-port", "0", "iterations", Nodes.ITERATIONS + "", "tls", "off"));
    ServerConfig config = s.toServerConfig();
    assertEquals(PG.parsedUrl(), config.accounts());
    return FtpServer.start(config);
  }

  @Test
  void serverWithPostgresAccountsLogsInOverLoopback() throws Exception {
    first = serve("node1");
    second = serve("node2");
    try (RawClient c = RawClient.connect(first.port())) {
      assertInstanceOf(Response.Ok.class, c.register("hana", "correct horse"));
    }
    byte[] content = "stored by hana".getBytes(StandardCharsets.UTF_8);
    try (RawClient c = RawClient.connect(first.port())) {
      assertInstanceOf(Response.AuthOk.class, c.tryLogin("hana", "correct horse"));
      assertInstanceOf(Response.PutDone.class, c.upload("/note.txt", content));
      assertArrayEquals(content, c.download("/note.txt"));
    }
    try (RawClient c = RawClient.connect(first.port())) {
      assertInstanceOf(Response.Error.class, c.tryLogin("hana", "wrong horse"));
    }
    // The other node learns of the account through NOTIFY, without a restart.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    Response r;
    do {
      try (RawClient c = RawClient.connect(second.port())) {
        r = c.tryLogin("hana", "correct horse");
      }
    } while (!(r instanceof Response.AuthOk) && System.nanoTime() < deadline);
    assertInstanceOf(Response.AuthOk.class, r, "the second node logs hana in within a second");
    try (RawClient c = RawClient.connect(second.port())) {
      Response taken = c.register("HANA", "other");
      assertInstanceOf(Response.Error.class, taken, "the name is taken on every node, in any letter case");
    }
  }

  @Test
  void databaseDownAtLoginGivesAClearErrorAndLosesNothing() throws Exception {
    first = serve("node1");
    try (RawClient c = RawClient.connect(first.port())) {
      assertInstanceOf(Response.Ok.class, c.register("ivan", "pw-ivan"));
    }
    PG.stop();
    try {
      try (RawClient c = RawClient.connect(first.port())) {
        assertInstanceOf(Response.AuthOk.class, c.tryLogin("ivan", "pw-ivan"),
            "a known user logs in from the mirror while the database is down");
      }
      try (RawClient c = RawClient.connect(first.port())) {
        long start = System.nanoTime();
        Response refused = c.register("jill", "pw-jill");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Response.Error error = assertInstanceOf(Response.Error.class, refused);
        assertTrue(error.message().contains("accounts database is unavailable"), error.message());
        assertTrue(millis < UNAVAILABLE_ANSWER_MILLIS, "answered in " + millis + " ms");
      }
      try (RawClient c = RawClient.connect(first.port())) {
        assertInstanceOf(Response.Error.class, c.tryLogin("jill", "pw-jill"), "nothing was registered");
      }
    } finally {
      PG.start();
    }
    // Back up: registrations work again once the pool has reconnected (on a loaded machine its first new
    // connection may take a few seconds; meanwhile the answer is the same clear refusal), and the rows
    // are whole.
    long backBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECONNECT_SECONDS);
    Response again;
    while (true) {
      try (RawClient c = RawClient.connect(first.port())) {
        again = c.register("jill", "pw-jill");
      }
      if (again instanceof Response.Ok || System.nanoTime() > backBy) break;
      Response.Error error = assertInstanceOf(Response.Error.class, again);
      assertTrue(error.message().contains("accounts database is unavailable"), error.message());
      Thread.sleep(200);
    }
    assertInstanceOf(Response.Ok.class, again, "registrations work again within " + RECONNECT_SECONDS + " s");
    try (RawClient c = RawClient.connect(first.port())) {
      assertInstanceOf(Response.AuthOk.class, c.tryLogin("jill", "pw-jill"));
    }
    try (RawClient c = RawClient.connect(first.port())) {
      assertInstanceOf(Response.AuthOk.class, c.tryLogin("ivan", "pw-ivan"));
    }
    try (Connection c = PG.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT string_agg(u.name, ',' ORDER BY u.name), count(g.name)"
            + " FROM users u LEFT JOIN usage g ON g.name = u.name")) {
      rs.next();
      assertEquals("ivan,jill", rs.getString(1));
      assertEquals(2, rs.getInt(2), "every account has its usage row");
    }
  }
}
