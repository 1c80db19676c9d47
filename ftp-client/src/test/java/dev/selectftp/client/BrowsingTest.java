package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Response;
import dev.selectftp.testing.LiveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Folders, renames, deletes, quota and isolation between users, against the real server. */
class BrowsingTest {
  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();

  private static List<String> names(FtpClient client, String path) throws Exception {
    return client.list(path).stream().map(Response.Entry::name).toList();
  }

  private FtpClient newUser(String name) throws Exception {
    try (FtpClient client = server.connect()) {
      client.register(name, (name + "-pw").toCharArray());
    }
    return server.login(name, (name + "-pw").toCharArray());
  }

  @Test
  void twoUsersAtOnceNeverSeeEachOthersFiles() throws Exception {
    try (FtpClient alice = newUser("alice"); FtpClient bob = newUser("bob")) {
      alice.mkdir("secret");
      alice.put(Files.writeString(localDir.resolve("diary.txt"), "dear diary"), "diary.txt",
          TransferListener.NONE);
      bob.mkdir("mine");

      assertEquals(List.of("diary.txt", "secret"), names(alice, null));
      assertEquals(List.of("mine"), names(bob, null));
      assertEquals(ErrorCode.NOT_FOUND,
          assertThrows(FtpException.class, () -> bob.get("diary.txt", localDir.resolve("x"), TransferListener.NONE))
              .code());
      FtpException climb = assertThrows(FtpException.class, () -> bob.list("../alice"));
      assertTrue(climb.code() == ErrorCode.BAD_PATH || climb.code() == ErrorCode.NOT_FOUND, climb.code().code());
    }
  }

  @Test
  void cdDotDotStopsAtTheHome() throws Exception {
    try (FtpClient client = server.loginDemo()) {
      client.mkdir("a");
      assertEquals("/a", client.cd("a"));
      assertEquals("/", client.cd(".."));
      try {
        assertEquals("/", client.cd(".."));
      } catch (FtpException e) {
        assertEquals(ErrorCode.BAD_PATH, e.code(), "climbing above the home is clamped or refused");
      }
      assertEquals("/", client.pwd());
      assertTrue(names(client, null).contains("welcome.txt"), "still in the user's own home");
    }
  }

  @Test
  void relativeAndAbsolutePathsResolveFromTheCurrentFolder() throws Exception {
    try (FtpClient client = server.loginDemo()) {
      client.mkdir("x");
      client.mkdir("x/y");
      assertEquals("/x/y", client.cd("x/y"));
      assertEquals("/x", client.cd(".."));
      assertEquals("/notes", client.cd("/notes"));
      assertTrue(names(client, null).contains("todo.md"));
    }
  }

  @Test
  void mkdirRenameAndDeleteChangeTheListing() throws Exception {
    try (FtpClient client = server.loginDemo()) {
      client.mkdir("photos");
      assertTrue(names(client, null).contains("photos"));
      client.rename("welcome.txt", "photos/hello.txt");
      assertFalse(names(client, null).contains("welcome.txt"));
      assertEquals(List.of("hello.txt"), names(client, "photos"));

      assertEquals(ErrorCode.NOT_EMPTY, assertThrows(FtpException.class, () -> client.delete("photos")).code());
      client.delete("photos/hello.txt");
      client.delete("photos");
      assertFalse(names(client, null).contains("photos"));
    }
  }

  @Test
  void listingComesByNameWithFoldersAmongFiles() throws Exception {
    try (FtpClient client = server.loginDemo()) {
      client.mkdir("zzz");
      List<Response.Entry> entries = client.list(null);
      assertEquals(List.of("notes", "sample.bin", "welcome.txt", "zzz"),
          entries.stream().map(Response.Entry::name).toList());
      assertTrue(entries.get(3).dir(), entries.toString());
    }
  }

  @Test
  void refusalsHaveStableCodesAndKeepTheConnection() throws Exception {
    try (FtpClient client = server.loginDemo()) {
      assertEquals(ErrorCode.NOT_FOUND, assertThrows(FtpException.class, () -> client.cd("nowhere")).code());
      assertEquals(ErrorCode.EXISTS, assertThrows(FtpException.class, () -> client.mkdir("notes")).code());
      assertEquals(ErrorCode.NOT_A_DIRECTORY,
          assertThrows(FtpException.class, () -> client.cd("welcome.txt")).code());
      assertEquals(ErrorCode.EXISTS,
          assertThrows(FtpException.class, () -> client.rename("welcome.txt", "sample.bin")).code());
      assertEquals(ErrorCode.BAD_PATH, assertThrows(FtpException.class, () -> client.mkdir("a\\b")).code());
      assertTrue(client.isOpen());
      assertEquals("/", client.pwd());
    }
  }

  @Test
  void quotaCountsStoredBytesAgainstTheDefaultLimit() throws Exception {
    try (FtpClient client = server.loginDemo()) {
      Response.QuotaInfo before = client.quota();
      assertEquals(1L << 30, before.limit());
      client.put(Files.write(localDir.resolve("k.bin"), new byte[1024]), "k.bin", TransferListener.NONE);
      assertEquals(before.used() + 1024, client.quota().used());
    }
  }

  @Test
  void statsNeedNoLogin() throws Exception {
    try (FtpClient client = server.connect()) {
      assertTrue(client.stats().connections() >= 1);
    }
  }
}
