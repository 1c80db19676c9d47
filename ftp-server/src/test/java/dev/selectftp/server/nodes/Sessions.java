package dev.selectftp.server.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Response;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayHaproxy;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Sessions and client processes of the node tests, through the balancer. Test accounts' passwords are "pw-NAME". */
final class Sessions {
  private static final long CLIENT_SECONDS = 60;

  private Sessions() {}

  /**
   * A session logged in as {@code user}. A node may learn of a new account a few ms after the other node
   * registered it (NOTIFY), so a failed login is retried on the same connection for up to {@code wait}: a new
   * one would go to the next node in HAProxy's rotation, and the tests count on which node each session reaches.
   */
  static RawClient loggedIn(int port, String user, Duration wait) throws Exception {
    return loggedIn(RawClient.connect(port), user, wait);
  }

  /**
   * A session logged in as {@code user} on {@code node} itself, not through the balancer, retried as above. It
   * comes from {@link ThrowawayHaproxy#DIRECT_CLIENT_ADDRESS}: from the balancer's address the node would wait
   * for a PROXY header.
   */
  static RawClient onNode(ServerNodes.Node node, String user, Duration wait) throws Exception {
    return loggedIn(RawClient.connect(ThrowawayHaproxy.NODE_ADDRESS, node.ports().selectFtpPort(),
        ThrowawayHaproxy.DIRECT_CLIENT_ADDRESS), user, wait);
  }

  private static RawClient loggedIn(RawClient c, String user, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    Response r = c.tryLogin(user, "pw-" + user);
    while (!(r instanceof Response.AuthOk) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      r = c.tryLogin(user, "pw-" + user);
    }
    if (!(r instanceof Response.AuthOk)) c.close();
    assertInstanceOf(Response.AuthOk.class, r, "login of " + user);
    return c;
  }

  /** {@code size} bytes of {@code value}, with a counter every 4 KiB so that no two uploads of a test hash alike. */
  static byte[] filled(int size, int value) {
    byte[] b = new byte[size];
    java.util.Arrays.fill(b, (byte) value);
    for (int i = 0; i < size; i += 4096) b[i] = (byte) (i / 4096);
    return b;
  }

  static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The one number {@code sql} selects, read as the superuser on {@code pg}. */
  static long count(ThrowawayPostgres pg, String sql) throws Exception {
    try (java.sql.Connection c = pg.connect(); java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Runs a client process to its end, its output in {@code dir}; returns the output, fails on a non-zero exit. */
  static String run(Path dir, String... command) throws Exception {
    Path out = dir.resolve("client-" + System.nanoTime() + ".out");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS), "client finished");
    String text = Files.readString(out);
    assertEquals(0, p.exitValue(), text);
    return text;
  }
}
