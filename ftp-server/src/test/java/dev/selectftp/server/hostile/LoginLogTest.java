package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.accounts.LoginThrottle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 9, class 8: a user name with a line break cannot forge a line in server.log, and errors a client
 * causes in login and registration log one line without a stack trace.
 */
class LoginLogTest {
  private static final String FORGED = "mallory\nINFO dev.selectftp.server.protocol.selectftp.Authentication - admin logged in";

  @TempDir Path dir;

  /** Every event from any thread; thread-safe, unlike ListAppender. */
  static final class Collector extends ch.qos.logback.core.AppenderBase<ILoggingEvent> {
    final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      events.add(event);
    }
  }

  @Test
  void aLineBreakInAUserNameNeverStartsANewLogLine() throws Exception {
    Collector collector = new Collector();
    collector.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(collector);
    List<RawClient> clients = new ArrayList<>();
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      // Enough failures to lock the name too, so the throttle's warning is exercised; not waiting for answers.
      for (int i = 0; i < LoginThrottle.USER_LOCKOUT_FAILURES; i++) {
        RawClient c = RawClient.connect(server.port(), "127.0.6.1");
        clients.add(c);
        ScramClient scram = new ScramClient(FORGED, "wrong".toCharArray());
        c.send(new Request.AuthStart(scram.clientFirst()));
        Response.AuthChallenge challenge = assertInstanceOf(Response.AuthChallenge.class, c.next());
        c.send(new Request.AuthFinish(scram.clientFinal(challenge.scram())));
      }
      try (RawClient c = RawClient.connect(server.port(), "127.0.6.2")) {
        assertInstanceOf(Response.Ok.class, c.register("taken", "pw"));
        assertInstanceOf(Response.Error.class, c.register("taken", "pw"));
        assertInstanceOf(Response.Error.class, c.register("bad\nname", "pw"));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!mentions(collector, "locked out") && System.nanoTime() < deadline) Thread.sleep(50);
    } finally {
      root.detachAppender(collector);
      clients.forEach(RawClient::close);
    }
    assertTrue(mentions(collector, "failed login for mallory\\u000a"), "the name is logged, escaped");
    assertTrue(mentions(collector, "locked out"), "the lock is logged");
    for (ILoggingEvent e : collector.events) {
      String line = e.getFormattedMessage();
      assertTrue(line.indexOf('\n') < 0 && line.indexOf('\r') < 0, "a forged line break in: " + line);
      if (e.getLoggerName().startsWith("dev.selectftp.server")) {
        assertNull(e.getThrowableProxy(), () -> "a client-caused error logged a stack trace: " + line);
      }
    }
  }

  private static boolean mentions(Collector c, String text) {
    return c.events.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
  }
}
