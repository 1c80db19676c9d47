package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.testing.LiveServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client follows a listing's pages to the end, and no further than a sane bound. */
class ListingPagesTest {
  private static final String DATE = "2026-11-21T18:00:00Z";

  @RegisterExtension final LiveServer server = LiveServer.notStarted();

  private static Response.Entry file(String name) {
    return new Response.Entry(name, false, 1, DATE);
  }

  private static Response.Listing page(String path, String next, String... names) {
    List<Response.Entry> entries = new ArrayList<>();
    for (String n : names) entries.add(file(n));
    return new Response.Listing(200, names.length + " entries", path, entries, next);
  }

  @Test
  void listFollowsEveryPageWithTheEchoedPathAndThePreviousCursor() throws Exception {
    List<Request> asked = new ArrayList<>();
    try (FakeServer fake = FakeServer.start(peer -> {
      asked.add(peer.read());
      peer.send(page("/docs", "b", "a", "b"));
      asked.add(peer.read());
      peer.send(page("/docs", "d", "c", "d"));
      asked.add(peer.read());
      peer.send(page("/docs", null, "e"));
    }); FtpClient client = fake.connect()) {
      List<Response.Entry> all = client.list("docs");
      fake.awaitScript();
      assertEquals(List.of("a", "b", "c", "d", "e"), all.stream().map(Response.Entry::name).toList());
      assertEquals(List.of(new Request.List("docs", null), new Request.List("/docs", "b"),
          new Request.List("/docs", "d")), asked);
    }
  }

  @Test
  void aServerThatNeverEndsItsListingIsCutOffAfterTheCap() throws Exception {
    int[] served = {0};
    try (FakeServer fake = FakeServer.start(peer -> {
      try {
        while (true) {
          Request.List r = peer.read(Request.List.class);
          served[0]++;
          String cursor = "n" + served[0];
          assertFalse(cursor.equals(r.after()));
          peer.send(page("/", cursor, cursor));
        }
      } catch (IOException closed) {
        // the client gave up and hung up
      }
    }); FtpClient client = fake.connect()) {
      IOException e = assertThrows(IOException.class, () -> client.list(null));
      assertFalse(e instanceof FtpException, "a runaway listing is the server's fault, not a refusal");
      assertTrue(e.getMessage().contains(String.valueOf(FtpClient.MAX_LIST_PAGES)), e.getMessage());
      assertFalse(client.isOpen(), "the connection is dropped");
      fake.awaitScript();
      assertEquals(FtpClient.MAX_LIST_PAGES, served[0]);
    }
  }

  @Test
  void aServerThatRepeatsACursorIsNotFollowedInACircle() throws Exception {
    try (FakeServer fake = FakeServer.start(peer -> {
      peer.read();
      peer.send(page("/", "x", "x"));
      peer.read();
      peer.send(page("/", "x", "x"));
    }); FtpClient client = fake.connect()) {
      IOException e = assertThrows(IOException.class, () -> client.list(null));
      assertTrue(e.getMessage().contains("cursor"), e.getMessage());
      assertFalse(client.isOpen());
      fake.awaitScript();
    }
  }

  @Test
  void findStopsAtThePageThatHoldsTheName() throws Exception {
    try (FakeServer fake = FakeServer.start(peer -> {
      assertEquals(new Request.List("/d", null), peer.read());
      peer.send(page("/d", "b", "a", "b"));
      assertEquals(new Request.List("/d", "b"), peer.read());
      peer.send(page("/d", "d", "c", "d"));
      // No third page is asked for: the next request is the pwd below.
      assertInstanceOf(Request.PrintDir.class, peer.read());
      peer.send(new Response.Cwd(200, "/", "/"));
    }); FtpClient client = fake.connect()) {
      assertEquals("c", client.find("/d/c").name());
      assertEquals("/", client.pwd());
      fake.awaitScript();
    }
  }

  @Test
  void aRealFolderOfTwelveHundredFilesComesWholeAndLsPrintsEveryOne() throws Exception {
    server.start();
    Path folder = Files.createDirectories(server.home(LiveServer.DEMO_USER).resolve("many"));
    TreeSet<String> expected = new TreeSet<>();
    for (int i = 0; i < 1_200; i++) {
      String name = String.format("file-%04d.txt", i);
      Files.createFile(folder.resolve(name));
      expected.add(name);
    }
    try (FtpClient client = server.loginDemo()) {
      List<String> names = client.list("many").stream().map(Response.Entry::name).toList();
      assertEquals(new ArrayList<>(expected), names);
      assertEquals("file-1199.txt", client.find("many/file-1199.txt").name());
      assertNull(client.find("many/file-1200.txt"));
    }
    Files.createDirectory(folder.resolve("zz-folder"));
    ScriptedConsole ls = ScriptedConsole.run(server.port(), List.of("-u", "xiaoyu", "-p", "123456", "ls", "many"));
    assertEquals(0, ls.exitCode(), ls.toString());
    List<String> lines = ls.out().lines().filter(l -> l.matches("[d-]  .*")).toList();
    assertEquals(1_201, lines.size(), ls.toString());
    assertTrue(lines.get(0).startsWith("d") && lines.get(0).endsWith("  zz-folder"), "folders first: " + lines.get(0));
    assertTrue(lines.get(1_200).endsWith("  file-1199.txt"), lines.get(1_200));
  }
}
