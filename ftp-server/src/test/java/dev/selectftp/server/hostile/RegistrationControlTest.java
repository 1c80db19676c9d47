package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.RegistrationPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, class 5: registration can be closed, is rate-limited per address and in all, and a new account
 * never inherits a removed account's files.
 */
class RegistrationControlTest {
  @TempDir Path dir;

  @Test
  void closedRegistrationIsRefusedClearlyWhileAdminsStillAddUsers() throws Exception {
    ServerConfig config = ServerConfig.forTests(dir).withRegistration(RegistrationPolicy.DEFAULT.withOpen(false));
    try (FtpServer server = FtpServer.start(config)) {
      try (RawClient c = RawClient.connect(server.port())) {
        Response.Error e = assertInstanceOf(Response.Error.class, c.register("walk-in", "pw"));
        assertEquals(ErrorCode.FORBIDDEN.code(), e.code());
        assertTrue(e.message().contains("registration is closed"), e.message());
        assertTrue(c.stillServes(), "the connection stays usable for a login");
      }
      // What `ftp-server user add` does, from another "process" (another Accounts on the same folder).
      Accounts admin = Accounts.open(dir, 1 << 20, ScramCredentials.MIN_ITERATIONS);
      admin.register("invited", derive("pw"));
      awaitLogin(server.port(), "invited", "pw");
    }
  }

  @Test
  void newAccountsAreCappedPerAddressAndInAllPerHour() throws Exception {
    ServerConfig config = ServerConfig.forTests(dir).withRegistration(new RegistrationPolicy(true, 3, 5));
    try (FtpServer server = FtpServer.start(config)) {
      try (RawClient c = RawClient.connect(server.port(), "127.0.3.1")) {
        for (int i = 0; i < 3; i++) assertInstanceOf(Response.Ok.class, c.register("a" + i, "pw"));
        Response.Error e = assertInstanceOf(Response.Error.class, c.register("a3", "pw"));
        assertEquals(ErrorCode.LOCKED_OUT.code(), e.code());
        assertTrue(e.message().contains("from your address"), e.message());
      }
      try (RawClient c = RawClient.connect(server.port(), "127.0.3.2")) {
        for (int i = 0; i < 2; i++) assertInstanceOf(Response.Ok.class, c.register("b" + i, "pw"));
      }
      try (RawClient c = RawClient.connect(server.port(), "127.0.3.3")) {
        Response.Error e = assertInstanceOf(Response.Error.class, c.register("c0", "pw"));
        assertEquals(ErrorCode.LOCKED_OUT.code(), e.code());
        assertTrue(e.message().contains("on this server"), e.message());
        c.login("a0", "pw"); // those who got in are fine
      }
    }
  }

  @Test
  void whoeverRegistersARemovedNameStartsWithAnEmptyHome() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      try (RawClient c = RawClient.connect(server.port())) {
        assertInstanceOf(Response.Ok.class, c.register("reuse", "old-pw"));
        c.login("reuse", "old-pw");
        assertInstanceOf(Response.PutDone.class, c.upload("diary.txt", "private".getBytes(StandardCharsets.UTF_8)),
            "upload");
      }
      Accounts admin = Accounts.open(dir, 1 << 20, ScramCredentials.MIN_ITERATIONS);
      assertTrue(admin.remove("reuse").isPresent()); // `user remove reuse --keep-home`
      Thread.sleep(Duration.ofNanos(Accounts.REFRESH_INTERVAL_NANOS).toMillis() + 200);
      try (RawClient c = RawClient.connect(server.port())) {
        assertInstanceOf(Response.Ok.class, c.register("reuse", "new-pw"));
        c.login("reuse", "new-pw");
        assertEquals(0, c.list().entries().size(), "the newcomer must not see the old account's files");
      }
    }
  }

  @Test
  void aSessionOpenedBeforeItsAccountWasRemovedCannotReachTheNewcomersFiles() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient old = RawClient.connect(server.port())) {
      assertInstanceOf(Response.Ok.class, old.register("reuse", "old-pw"));
      old.login("reuse", "old-pw");
      Accounts admin = Accounts.open(dir, 1 << 20, ScramCredentials.MIN_ITERATIONS);
      assertTrue(admin.remove("reuse").isPresent());
      Thread.sleep(Duration.ofNanos(Accounts.REFRESH_INTERVAL_NANOS).toMillis() + 200);
      try (RawClient c = RawClient.connect(server.port())) {
        assertInstanceOf(Response.Ok.class, c.register("reuse", "new-pw"));
        c.login("reuse", "new-pw");
        assertInstanceOf(Response.PutDone.class, c.upload("secret.txt", "newcomer".getBytes(StandardCharsets.UTF_8)),
            "upload");
      }
      old.send(new dev.selectftp.common.Request.List(null));
      Response r = old.next();
      Response.Error e = assertInstanceOf(Response.Error.class, r, "the old session must not list the new home");
      assertEquals(ErrorCode.NOT_LOGGED_IN.code(), e.code());
      assertTrue(old.closedWithin(Duration.ofSeconds(5)), "and it is closed");
    }
  }

  private static ScramCredentials derive(String password) {
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    new java.security.SecureRandom().nextBytes(salt);
    return ScramCredentials.derive(password.toCharArray(), salt, ScramCredentials.MIN_ITERATIONS);
  }

  /** Another process's change reaches the server within a second. */
  private static void awaitLogin(int port, String user, String password) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    Response r;
    do {
      try (RawClient c = RawClient.connect(port)) {
        r = c.tryLogin(user, password);
      }
      if (!(r instanceof Response.AuthOk)) Thread.sleep(100);
    } while (!(r instanceof Response.AuthOk) && System.nanoTime() < deadline);
    assertInstanceOf(Response.AuthOk.class, r, "added by the admin, seen by the server");
  }
}
