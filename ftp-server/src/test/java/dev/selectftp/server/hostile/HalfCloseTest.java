package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, class 9: a client that sends its requests and then its FIN (shutdownOutput, as {@code nc -N}
 * or a script does) gets a reply to every request it sent, including replies that come late, and then the
 * server closes.
 */
class HalfCloseTest {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  @TempDir static Path dir;
  static FtpServer server;

  @BeforeAll
  static void start() throws IOException {
    server = FtpServer.start(ServerConfig.forTests(dir));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @Test
  void everyPipelinedRequestBeforeTheFinIsAnswered() throws IOException {
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      c.sendBytes(Attackers.concat(RawClient.frame(new Request.PrintDir()), RawClient.frame(new Request.QuotaQuery()),
          RawClient.frame(new Request.List(null)), RawClient.frame(new Request.ChangeDir("notes")),
          RawClient.frame(new Request.PrintDir())));
      c.socket.shutdownOutput();
      assertEquals("/", c.expect(Response.Cwd.class).path());
      c.expect(Response.QuotaInfo.class);
      assertTrue(c.expect(Response.Listing.class).entries().size() > 0);
      assertEquals("/notes", c.expect(Response.Cwd.class).path());
      assertEquals("/notes", c.expect(Response.Cwd.class).path());
      assertTrue(c.closedWithin(CLOSE_WAIT), "the server closes once everything is answered");
    }
  }

  @Test
  void manyPipelinedRequestsBeforeTheFinAreAllAnsweredAcrossSlices() throws IOException {
    int count = 2_000; // far more than one slice handles, so the answers span many passes
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      c.sendBytes(Attackers.repeated(RawClient.frame(new Request.PrintDir()), count));
      c.socket.shutdownOutput();
      for (int i = 0; i < count; i++) c.expect(Response.Cwd.class);
      assertTrue(c.closedWithin(CLOSE_WAIT));
    }
  }

  @Test
  void aFailedLoginAnsweredAfterItsDelayIsStillDelivered() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      ScramClient scram = new ScramClient("xiaoyu", "wrong password".toCharArray());
      c.send(new Request.AuthStart(scram.clientFirst()));
      Response.AuthChallenge challenge = c.expect(Response.AuthChallenge.class);
      c.send(new Request.AuthFinish(scram.clientFinal(challenge.scram())));
      c.socket.shutdownOutput();
      c.expectError(ErrorCode.AUTH_FAILED);
      assertTrue(c.closedWithin(CLOSE_WAIT));
    }
  }

  @Test
  void aRegistrationWrittenOffTheLoopIsStillAnswered() throws IOException {
    try (RawClient c = RawClient.connect(server.port())) {
      c.socket.shutdownOutput();
      assertTrue(c.closedWithin(CLOSE_WAIT), "nothing sent, nothing owed: closed at once");
    }
    try (RawClient c = RawClient.connect(server.port());
        RawClient helper = RawClient.connect(server.port())) {
      byte[] request = registerFrame(helper, "halfclose");
      c.sendBytes(request);
      c.socket.shutdownOutput();
      Response r = c.next();
      assertInstanceOf(Response.Ok.class, r, () -> "registration before the FIN: " + r);
      assertTrue(c.closedWithin(CLOSE_WAIT));
    }
  }

  @Test
  void anUploadCommittedOffTheLoopIsStillConfirmed() throws IOException {
    byte[] content = "committed after the client's FIN".getBytes(StandardCharsets.UTF_8);
    try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      c.send(new Request.Put("fin.txt", content.length));
      c.expect(Response.PutReady.class);
      c.sendBytes(Attackers.concat(RawClient.frame(new Request.PutData(0, content.length)), content,
          RawClient.frame(new Request.PutCommit(RawClient.sha256(content)))));
      c.socket.shutdownOutput();
      assertEquals("/fin.txt", c.expect(Response.PutDone.class).path());
      assertTrue(c.closedWithin(CLOSE_WAIT));
    }
    assertEquals(new String(content, StandardCharsets.UTF_8), Files.readString(dir.resolve("home/xiaoyu/fin.txt")));
  }

  /** The register frame RawClient would send, with the iterations {@code helper}'s hello asked for. */
  private static byte[] registerFrame(RawClient helper, String user) throws IOException {
    byte[] salt = new byte[dev.selectftp.common.ScramCredentials.SALT_BYTES];
    new java.security.SecureRandom().nextBytes(salt);
    dev.selectftp.common.ScramCredentials k = dev.selectftp.common.ScramCredentials.derive(
        "another long password".toCharArray(), salt, helper.hello.iterations());
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    return RawClient.frame(new Request.Register(user, b64.encodeToString(k.salt()), k.iterations(),
        b64.encodeToString(k.storedKey()), b64.encodeToString(k.serverKey())));
  }
}
