package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Response;
import dev.selectftp.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registration and SCRAM login against the real server. */
class AccountsTest {
  @RegisterExtension final LiveServer server = new LiveServer();

  @Test
  void helloAsksForAtLeastTheScramMinimumOfIterations() throws Exception {
    try (FtpClient client = server.connect()) {
      assertTrue(client.hello().iterations() >= 4096, client.hello().toString());
    }
  }

  @Test
  void demoUserCanLogInAndSeesTheSampleFiles() throws Exception {
    try (FtpClient client = server.loginDemo()) {
      assertEquals("xiaoyu", client.user());
      assertTrue(client.list(null).stream().map(Response.Entry::name).toList().contains("welcome.txt"));
    }
  }

  @Test
  void registeredUserCanLogInOnANewConnection() throws Exception {
    try (FtpClient client = server.connect()) {
      client.register("alice", "wonderland".toCharArray());
    }
    try (FtpClient client = server.login("alice", "wonderland".toCharArray())) {
      assertEquals("alice", client.user());
      assertEquals("/", client.pwd());
      assertEquals(0, client.list(null).size(), "a new home is empty");
    }
  }

  @Test
  void registeringThenLoggingInWorksOnTheSameConnection() throws Exception {
    try (FtpClient client = server.connect()) {
      client.register("bob", "pw".toCharArray());
      client.login("bob", "pw".toCharArray());
      assertEquals("/", client.pwd());
    }
  }

  @Test
  void wrongPasswordIsRefusedWithAuthFailed() throws Exception {
    try (FtpClient client = server.connect()) {
      FtpException e = assertThrows(FtpException.class, () -> client.login("xiaoyu", "654321".toCharArray()));
      assertEquals(ErrorCode.AUTH_FAILED, e.code());
    }
  }

  @Test
  void unknownUserIsRefusedWithTheSameAuthFailed() throws Exception {
    try (FtpClient client = server.connect()) {
      FtpException e = assertThrows(FtpException.class, () -> client.login("nobody", "x".toCharArray()));
      assertEquals(ErrorCode.AUTH_FAILED, e.code());
    }
  }

  @Test
  void registeringATakenNameFailsWithUserExists() throws Exception {
    try (FtpClient client = server.connect()) {
      client.register("carol", "one".toCharArray());
      FtpException e = assertThrows(FtpException.class, () -> client.register("carol", "two".toCharArray()));
      assertEquals(ErrorCode.USER_EXISTS, e.code());
    }
    try (FtpClient client = server.login("carol", "one".toCharArray())) {
      assertEquals("carol", client.user(), "the first registration still stands");
    }
  }

  @Test
  void browsingBeforeLoginIsRefusedWithNotLoggedIn() throws Exception {
    try (FtpClient client = server.connect()) {
      FtpException e = assertThrows(FtpException.class, () -> client.list(null));
      assertEquals(ErrorCode.NOT_LOGGED_IN, e.code());
    }
  }

  @Test
  void badUserNameIsRefused() throws Exception {
    try (FtpClient client = server.connect()) {
      FtpException e = assertThrows(FtpException.class, () -> client.register(".hidden", "pw".toCharArray()));
      assertEquals(ErrorCode.BAD_USER_NAME, e.code());
    }
  }
}
