package dev.selectftp.server.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Response;
import dev.selectftp.server.hostile.RawClient;
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
    RawClient c = RawClient.connect(port);
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
