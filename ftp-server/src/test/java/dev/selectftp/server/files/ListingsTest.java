package dev.selectftp.server.files;

import static dev.selectftp.server.protocol.selectftp.ListingFrames.PAGE;

import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.PageSize;import dev.selectftp.server.storage.Listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing pages through {@link Home#list}: order, page size, frame budget, cursors, and a folder that changes. */
class ListingsTest {
  /** Bounds the pages a test follows, so a cursor that never advances fails the test instead of hanging it. */
  private static final int MAX_PAGES = 1_000;

  @TempDir Path dir;
  private Path root;
  private Home home;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("home/xiaoyu"));
    home = new Home(root);
  }

  private static List<String> names(Listing l) {
    return l.entries().stream().map(Entry::name).toList();
  }

  /** Every page of {@code path}, following the cursors, each checked against the page size and the frame cap. */
  private List<Listing> allPages(String path) throws Refused {
    List<Listing> pages = new ArrayList<>();
    String after = null;
    do {
      Listing page = home.list("/", path, after, PAGE);
      assertTrue(page.entries().size() <= PAGE.maxEntries(), "page of " + page.entries().size());
      assertFrameFits(path, page);
      pages.add(page);
      assertTrue(pages.size() < MAX_PAGES, "the listing never ended");
      after = page.next();
    } while (after != null);
    return pages;
  }

  private static void assertFrameFits(String path, Listing l) {
    // As the session sends it: the time as ISO-8601 to the second, the longest form of which is used here.
    List<Response.Entry> wire = l.entries().stream()
        .map(e -> new Response.Entry(e.name(), e.dir(), e.size(), "2026-11-30T19:45:31Z")).toList();
    var frame = MessageCodec.encode(new Response.Listing(200, l.entries().size() + " entries, more follow", path,
        wire, l.next()));
    assertTrue(frame.remaining() <= Frames.HEADER_BYTES + Frames.MAX_FRAME_BYTES, "frame of " + frame.remaining());
  }

  @Test
  void listsByNameFoldersAmongFilesAndHidesPartials() throws Exception {
    Files.writeString(root.resolve("b.txt"), "bb");
    Files.writeString(root.resolve("a.txt"), "a");
    Files.createDirectory(root.resolve("zeta"));
    Files.createDirectory(root.resolve("alpha"));
    Files.writeString(root.resolve(".c.txt.selectftp-part"), "partial");
    Listing l = home.list("/", ".", null, PAGE);
    assertEquals(List.of("a.txt", "alpha", "b.txt", "zeta"), names(l));
    assertTrue(l.complete());
    assertNull(l.next());
    Entry b = l.entries().get(2);
    assertEquals(2, b.size());
    assertFalse(b.dir());
    assertEquals(Files.getLastModifiedTime(root.resolve("b.txt")).toMillis(), b.modifiedMillis());
    assertTrue(l.entries().get(1).dir());
    assertEquals(0, l.entries().get(1).size());
  }

  @Test
  void aDoorWithoutFramesGetsPagesOfTheSizeItAsksFor() throws Exception {
    for (String name : List.of("e", "d", "c", "b", "a")) Files.writeString(root.resolve(name), name);
    PageSize two = PageSize.entries(2);
    Listing first = home.list("/", "/", null, two);
    assertEquals(List.of("a", "b"), names(first));
    Listing second = home.list("/", "/", first.next(), two);
    assertEquals(List.of("c", "d"), names(second));
    Listing last = home.list("/", "/", second.next(), two);
    assertEquals(List.of("e"), names(last));
    assertTrue(last.complete());
  }

  @Test
  void anEmptyFolderIsOneCompletePage() throws Exception {
    Files.createDirectory(root.resolve("empty"));
    Listing l = home.list("/", "empty", null, PAGE);
    assertTrue(l.entries().isEmpty());
    assertTrue(l.complete());
  }

  @Test
  void aFolderOfTwoAndAHalfThousandEntriesIsListedWholeThroughFullPagesWithoutDuplicatesOrGaps() throws Exception {
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < 2_600; i++) {
      String name = String.format("f%05d", i);
      Files.createFile(root.resolve(name));
      expected.add(name);
    }
    List<Listing> pages = allPages("/");
    assertEquals(500, PAGE.maxEntries(), "the page size documented in docs/PROTOCOL.md");
    assertEquals(6, pages.size(), "5 full pages of 500, then 100");
    assertEquals(PAGE.maxEntries(), pages.get(0).entries().size());
    assertEquals("f00499", pages.get(0).next(), "the cursor is the last name of the page");
    assertTrue(pages.get(5).complete());
    List<String> all = pages.stream().flatMap(p -> names(p).stream()).toList();
    assertEquals(expected.size(), all.size(), "as many names as the folder holds");
    assertTrue(new ArrayList<>(expected).equals(all), "every name once, in order across pages");
  }

  @Test
  void longNamesMakeSmallerPagesThatEachFitOneFrame() throws Exception {
    // A deep folder (its path is echoed in every frame) full of long names that need JSON escaping.
    String deep = ("/" + "p".repeat(250)).repeat(12);
    Path folder = Files.createDirectories(root.resolve(deep.substring(1)));
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      String name = String.format("%03d", i) + "\"".repeat(200);
      Files.createFile(folder.resolve(name));
      expected.add(name);
    }
    List<Listing> pages = allPages(deep);
    assertTrue(pages.size() > 1, "300 escaped 200-byte names do not fit one frame");
    assertFalse(pages.get(0).complete());
    List<String> all = pages.stream().flatMap(p -> names(p).stream()).toList();
    assertEquals(expected, new HashSet<>(all));
    assertEquals(all.size(), expected.size(), "no name twice");
  }

  @Test
  void entriesAddedAndRemovedBetweenPagesNeverRepeatAndTheSteadyOnesAllAppear() throws Exception {
    Set<String> steady = new TreeSet<>();
    for (int i = 0; i < 2_500; i++) {
      String name = String.format("s%05d", i);
      Files.createFile(root.resolve(name));
      steady.add(name);
    }
    for (int i = 0; i < 500; i++) Files.createFile(root.resolve(String.format("g%05d", i)));
    List<String> seen = new ArrayList<>();
    String after = null;
    int page = 0;
    do {
      Listing l = home.list("/", "/", after, PAGE);
      seen.addAll(names(l));
      after = l.next();
      // Between pages: names before and after the cursor come and go, and the cursor's own name is deleted.
      Files.createFile(root.resolve(String.format("a%05d", page)));
      Files.createFile(root.resolve(String.format("t%05d", page)));
      Files.deleteIfExists(root.resolve(String.format("g%05d", page)));
      if (after != null) Files.deleteIfExists(root.resolve(after));
      assertTrue(++page < MAX_PAGES, "the listing never ended");
    } while (after != null);
    assertEquals(seen.size(), new HashSet<>(seen).size(), "no name listed twice");
    List<String> sorted = new ArrayList<>(seen);
    sorted.sort(NameOrder.CODE_POINTS);
    assertEquals(sorted, seen, "names only ever move forward");
    assertTrue(seen.containsAll(steady), "every name present throughout is listed");
    assertTrue(seen.contains("t00000"), "a name added after the cursor shows up on a later page");
  }

  @Test
  void aPageOfSkippedEntriesStillMovesTheCursorOn() throws Exception {
    Path folder = Files.createDirectory(root.resolve("links"));
    for (int i = 0; i < PAGE.maxEntries() + 5; i++) {
      Files.createSymbolicLink(folder.resolve(String.format("l%05d", i)), root);
    }
    Files.createFile(folder.resolve("z-real"));
    List<Listing> pages = allPages("/links");
    assertTrue(pages.get(0).entries().isEmpty(), "links are never listed");
    assertNotNull(pages.get(0).next(), "but the page says more may follow");
    assertEquals(List.of("z-real"), pages.stream().flatMap(p -> names(p).stream()).toList());
  }

  @Test
  void aCursorThatNamesNothingAnyMoreStillWorks() throws Exception {
    for (String n : List.of("a", "c", "e")) Files.createFile(root.resolve(n));
    assertEquals(List.of("c", "e"), names(home.list("/", "/", "b", PAGE)));
    assertEquals(List.of(), names(home.list("/", "/", "zzz", PAGE)));
  }

  @Test
  void aCursorNoServerWouldGiveIsABadRequest() {
    for (String bad : List.of("a/b", "..", ".", ".x.selectftp-part", "tab\there", "\uD800")) {
      Refused e = assertThrows(Refused.class, () -> home.list("/", "/", bad, PAGE), bad);
      assertEquals(Refusal.BAD_REQUEST, e.code(), bad);
    }
  }

  @Test
  void listingAFileOrAMissingFolderIsAnError() throws Exception {
    Files.writeString(root.resolve("a.txt"), "a");
    assertEquals(Refusal.NOT_A_DIRECTORY,
        assertThrows(Refused.class, () -> home.list("/", "a.txt", null, PAGE)).code());
    assertEquals(Refusal.NOT_FOUND, assertThrows(Refused.class, () -> home.list("/", "nope", null, PAGE)).code());
  }

  @Test
  void namesBeyondTheBasicPlaneSortByCodePointAsTheirUtf8Bytes() throws Exception {
    String emoji = "\uD83D\uDE00"; // U+1F600
    String fullwidth = "\uFF5E"; // U+FF5E, after U+1F600 in UTF-16 unit order
    for (String n : List.of(emoji, fullwidth, "a")) Files.createFile(root.resolve(n));
    assertEquals(List.of("a", fullwidth, emoji), names(home.list("/", "/", null, PAGE)));
    assertEquals(List.of(emoji), names(home.list("/", "/", fullwidth, PAGE)));
  }
}
