package dev.selectftp.server.accounts.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.Settings;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Read-on-miss ({@link MissReads}): a login of a name this node's mirror lacks reads that row before the
 * challenge, on both doors of the real server; bounded in reads at once; and a slow or stopped database
 * stalls neither known users' logins nor the loop.
 */
class ReadOnMissTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();

  /** Room for a loaded machine around a failure's first delay ({@code LoginThrottle.BASE_DELAY}). */
  private static final long ANSWER_MILLIS = 5_000;
  private static final int FLOOD = 12;

  @RegisterExtension
  final Nodes nodes = new Nodes(PG);
  private FtpServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private FtpServer serve() throws Exception {
    Settings s = Settings.resolve(null, Map.of("accounts", PG.url(), "data", nodes.folder("node").toString(),
        "port", "0", "iterations", Nodes.ITERATIONS + "", "tls", "off"));
    return FtpServer.start(s.toServerConfig().withFtpPort(0)); // 0 in settings means off; here, any port
  }

  /** Adds an account as another node would, but with the NOTIFY trigger off: only a read can find it. */
  private static void insertUnannounced(String name, String password) throws Exception {
    try (Connection c = PG.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("ALTER TABLE users DISABLE TRIGGER users_changed");
      UserRows.insert(c, new User(name, Nodes.credentials(password), Nodes.QUOTA,
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()), false);
      s.execute("ALTER TABLE users ENABLE TRIGGER users_changed");
      c.commit();
    }
  }

  @Test
  void accountAddedWithoutNotifyLogsInAtOnceOverBothDoors() throws Exception {
    server = serve();
    insertUnannounced("nora", "pw-nora");
    insertUnannounced("otto", "pw-otto");
    try (RawClient c = RawClient.connect(server.port())) {
      assertInstanceOf(Response.AuthOk.class, c.tryLogin("nora", "pw-nora"), "the first attempt succeeds");
    }
    assertEquals("230", ftpLogin(server.ftpPort(), "otto", "pw-otto"), "the first PASS succeeds");
  }

  @Test
  void unknownNameIsChallengedAndFailsCleanlyOverBothDoors() throws Exception {
    server = serve();
    try (RawClient c = RawClient.connect(server.port())) {
      assertAuthFailed(c.tryLogin("nobody", "pw"));
    }
    assertEquals("530", ftpLogin(server.ftpPort(), "nobody-ftp", "pw"));
  }

  @Test
  void concurrentMissesReadAtMostTheCapWhileTheDatabaseIsSlow() throws Exception {
    PostgresAccounts node = nodes.node();
    ExecutorService callers = Executors.newFixedThreadPool(FLOOD);
    try (Connection locker = PG.connect(); Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"); // every read of the table now waits
      List<Future<Long>> calls = new ArrayList<>();
      for (int i = 0; i < FLOOD; i++) {
        String name = i % 3 == 0 ? "same" : "unknown" + i;
        calls.add(callers.submit((Callable<Long>) () -> {
          long start = System.nanoTime();
          node.readMissing(name);
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }));
      }
      for (Future<Long> call : calls) {
        long millis = call.get(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue(millis < MissReads.WAIT.toMillis() + 1_000, "a caller waited " + millis + " ms");
      }
      assertTrue(node.missReadsStarted() <= MissReads.MAX_READS,
          node.missReadsStarted() + " reads started for " + FLOOD + " misses at once");
      assertTrue(node.missReadsStarted() >= 1, "a miss is read");
      locker.rollback();
    } finally {
      callers.shutdownNow();
    }
    // Once the database answers again, a miss is read at once.
    insertUnannounced("late", "pw-late");
    node.readMissing("late");
    assertTrue(node.find("late").isPresent(), "read into the mirror");
  }

  @Test
  void floodOfUnknownNamesOnASlowDatabaseIsAnsweredAndStallsNoBystander() throws Exception {
    server = serve();
    try (RawClient c = RawClient.connect(server.port())) {
      assertInstanceOf(Response.Ok.class, c.register("bea", "pw-bea"));
    }
    try (RawClient bystander = RawClient.connect(server.port());
        Connection locker = PG.connect(); Statement s = locker.createStatement()) {
      assertInstanceOf(Response.AuthOk.class, bystander.tryLogin("bea", "pw-bea"));
      locker.setAutoCommit(false);
      s.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
      try {
        floodWhileBystanderWorks(bystander);
      } finally {
        locker.rollback();
      }
    }
  }

  @Test
  void stoppedDatabaseStallsNeitherKnownLoginsNorTheLoop() throws Exception {
    server = serve();
    try (RawClient c = RawClient.connect(server.port())) {
      assertInstanceOf(Response.Ok.class, c.register("cleo", "pw-cleo"));
    }
    try (RawClient bystander = RawClient.connect(server.port())) {
      assertInstanceOf(Response.AuthOk.class, bystander.tryLogin("cleo", "pw-cleo"));
      PG.stop();
      try {
        try (RawClient c = RawClient.connect(server.port())) {
          long start = System.nanoTime();
          assertInstanceOf(Response.AuthOk.class, c.tryLogin("cleo", "pw-cleo"), "from the mirror");
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          assertTrue(millis < MissReads.WAIT.toMillis(), "a known login took " + millis + " ms");
        }
        floodWhileBystanderWorks(bystander);
      } finally {
        PG.start();
      }
    }
  }

  /**
   * Unknown names log in at once from other connections; meanwhile the bystander's round trip stays shorter
   * than a read may wait, which it would not if the loop waited on the database; each gets a clean failure.
   */
  private void floodWhileBystanderWorks(RawClient bystander) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(FLOOD);
    List<RawClient> connected = new ArrayList<>();
    try {
      for (int i = 0; i < FLOOD; i++) connected.add(RawClient.connect(server.port())); // hello read: ready
      List<Future<Response>> answers = new ArrayList<>();
      for (int i = 0; i < FLOOD; i++) {
        RawClient c = connected.get(i);
        String name = "ghost" + i;
        answers.add(clients.submit(() -> c.tryLogin(name, "pw")));
      }
      Thread.sleep(100); // the logins are in flight
      long start = System.nanoTime();
      bystander.list();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < MissReads.WAIT.toMillis(), "the bystander's round trip took " + millis + " ms");
      for (Future<Response> answer : answers) assertAuthFailed(answer.get(ANSWER_MILLIS * 3, TimeUnit.MILLISECONDS));
    } finally {
      clients.shutdownNow();
      connected.forEach(RawClient::close);
    }
  }

  private static void assertAuthFailed(Response r) {
    Response.Error error = assertInstanceOf(Response.Error.class, r);
    assertEquals(ErrorCode.AUTH_FAILED.code(), error.code(), error.message());
  }

  /** USER and PASS over plain FTP from loopback; returns PASS's reply code. */
  private static String ftpLogin(int port, String user, String password) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout((int) ANSWER_MILLIS * 3);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = s.getOutputStream();
      assertEquals("220", replyCode(in));
      out.write(("USER " + user + "\r\n").getBytes(StandardCharsets.US_ASCII));
      assertEquals("331", replyCode(in));
      out.write(("PASS " + password + "\r\n").getBytes(StandardCharsets.US_ASCII));
      return replyCode(in);
    }
  }

  private static String replyCode(BufferedReader in) throws Exception {
    String line = in.readLine();
    while (line != null && (line.length() < 4 || line.charAt(3) != ' ')) line = in.readLine();
    assertTrue(line != null, "the server closed the control connection");
    return line.substring(0, 3);
  }
}
