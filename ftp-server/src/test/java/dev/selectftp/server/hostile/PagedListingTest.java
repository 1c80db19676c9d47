package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listings over the wire: a big folder comes whole through pages, never silently cut, while other requests
 * change it between pages; cursors are checked; pipelined requests are answered in order.
 */
class PagedListingTest {
  private static final int MAX_PAGES = 1_000;

  @TempDir Path dir;

  private Path home() {
    return dir.resolve("home/xiaoyu");
  }

  private static Response.Listing page(RawClient c, String path, String after) throws IOException {
    c.send(new Request.List(path, after));
    Response.Listing page = c.expect(Response.Listing.class);
    assertTrue(page.entries().size() <= Response.Listing.MAX_PAGE_ENTRIES, "page of " + page.entries().size());
    assertEquals(page.next() == null, !page.message().contains("more follow"), page.message());
    return page;
  }

  @Test
  void eachEntryCarriesItsSizeKindAndModificationTimeInIsoUtcToTheSecond() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      Path folder = Files.createDirectories(home().resolve("times"));
      Files.writeString(folder.resolve("f.txt"), "four");
      Files.createDirectory(folder.resolve("sub"));
      java.time.Instant when = java.time.Instant.parse("2024-02-29T12:34:56.789Z");
      Files.setLastModifiedTime(folder.resolve("f.txt"), java.nio.file.attribute.FileTime.from(when));
      try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
        Response.Listing page = page(c, "times", null);
        assertEquals(2, page.entries().size());
        Response.Entry file = page.entries().get(0);
        assertEquals("f.txt", file.name());
        assertEquals(4, file.size());
        assertEquals(false, file.dir());
        assertEquals("2024-02-29T12:34:56Z", file.modified());
        Response.Entry sub = page.entries().get(1);
        assertTrue(sub.dir());
        assertEquals(0, sub.size());
        assertTrue(sub.modified().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), sub.modified());
      }
    }
  }

  @Test
  void aFolderOfTwoAndAHalfThousandEntriesComesWholeThroughPagesWhileAnotherSessionChangesIt() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      Path big = Files.createDirectories(home().resolve("big"));
      TreeSet<String> steady = new TreeSet<>();
      for (int i = 0; i < 2_500; i++) {
        steady.add(String.format("s%05d", i));
        Files.createFile(big.resolve(String.format("s%05d", i)));
      }
      for (int i = 0; i < 100; i++) Files.createFile(big.resolve(String.format("g%05d", i)));
      try (RawClient lister = RawClient.connect(server.port()).login("xiaoyu", "123456");
          RawClient changer = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
          Response.Listing page = page(lister, "big", after);
          assertEquals("/big", page.path());
          page.entries().forEach(e -> seen.add(e.name()));
          after = page.next();
          // Between pages, through the protocol: folders appear before and after the cursor, files go.
          changer.send(new Request.MakeDir(String.format("big/a%05d", pages)));
          changer.expect(Response.Ok.class);
          changer.send(new Request.MakeDir(String.format("big/t%05d", pages)));
          changer.expect(Response.Ok.class);
          changer.send(new Request.Delete(String.format("big/g%05d", 99 - pages)));
          changer.expect(Response.Ok.class);
          assertTrue(++pages < MAX_PAGES, "the listing never ended");
        } while (after != null);
        assertTrue(pages >= 6, "2,500 entries take several pages, not one cut-off reply: " + pages);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no name twice");
        assertEquals(new ArrayList<>(new TreeSet<>(seen)), seen, "in name order across pages");
        assertTrue(seen.containsAll(steady), "no gaps: every entry present throughout is listed");
        assertTrue(seen.contains("t00000"), "a folder made after the cursor shows up later");
      }
    }
  }

  @Test
  void aCursorTheServerNeverGaveIsABadRequestAndTheSessionCarriesOn() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      for (String bad : List.of("../x", ".welcome.txt.selectftp-part", "a/b")) {
        c.send(new Request.List("/", bad));
        c.expectError(ErrorCode.BAD_REQUEST);
      }
      c.sendJson("{\"type\":\"list\",\"after\":\"\"}");
      c.expectError(ErrorCode.BAD_REQUEST);
      c.sendJson("{\"type\":\"list\",\"cursor\":\"a\"}");
      c.expectError(ErrorCode.BAD_REQUEST);
      Response.Listing rest = page(c, "/", "sample.bin");
      assertEquals(List.of("welcome.txt"), rest.entries().stream().map(Response.Entry::name).toList());
      assertNull(rest.next());
      c.send(new Request.PrintDir());
      c.expect(Response.Cwd.class);
    }
  }

  @Test
  void pipelinedRequestsAroundListingsAreAnsweredInOrder() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      Path big = Files.createDirectories(home().resolve("big"));
      for (int i = 0; i < 700; i++) Files.createFile(big.resolve(String.format("f%04d", i)));
      byte[] list = RawClient.frame(new Request.List("big", null));
      byte[] missing = RawClient.frame(new Request.List("nope", null));
      byte[] second = RawClient.frame(new Request.List("big", "f0499"));
      byte[] pwd = RawClient.frame(new Request.PrintDir());
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < 20; i++) {
        all.write(list);
        all.write(pwd);
        all.write(missing);
        all.write(second);
      }
      c.sendBytes(all.toByteArray());
      for (int i = 0; i < 20; i++) {
        Response.Listing first = c.expect(Response.Listing.class);
        assertEquals("f0499", first.next());
        assertInstanceOf(Response.Cwd.class, c.next());
        c.expectError(ErrorCode.NOT_FOUND);
        Response.Listing last = c.expect(Response.Listing.class);
        assertEquals("f0500", last.entries().get(0).name());
        assertNull(last.next());
      }
    }
  }

  @Test
  void aClientThatLeavesWhileItsPageIsReadLeavesTheServerServing() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      Path big = Files.createDirectories(home().resolve("big"));
      for (int i = 0; i < 1_000; i++) Files.createFile(big.resolve(String.format("f%04d", i)));
      for (int i = 0; i < 20; i++) {
        RawClient leaver = RawClient.connect(server.port()).login("xiaoyu", "123456");
        leaver.send(new Request.List("big", null));
        leaver.close();
      }
      try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
        assertNotNull(page(c, "big", null).next());
        assertTrue(c.stillServes());
      }
    }
  }
}
