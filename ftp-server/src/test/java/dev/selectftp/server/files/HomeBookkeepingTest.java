package dev.selectftp.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a home reports back for the quota's bookkeeping (bytes counted, freed, deleted) and the answers
 * of publishing and deleting, over real files in a temp folder.
 */
class HomeBookkeepingTest {
  @TempDir Path dir;
  private Path root;
  private Home home;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("home/u"));
    home = new Home(root);
  }

  private Path write(String rel, int bytes) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    return Files.write(p, new byte[bytes]);
  }

  @Test
  void theTallyCountsFileBytesAndEveryFileAndFolderButNotTheHome() throws Exception {
    write("a.bin", 3);
    write("d/b.bin", 5);
    Files.createDirectories(root.resolve("d/e"));
    assertEquals(new Tally(8, 4), home.tally());
  }

  @Test
  void deletingAFileAnswersItsSizeAndAnEmptyFolderZero() throws Exception {
    write("a.bin", 1234);
    Files.createDirectories(root.resolve("empty"));
    assertEquals(1234, home.delete("/", "a.bin"));
    assertEquals(0, home.delete("/", "empty"));
    assertFalse(Files.exists(root.resolve("a.bin")));
    assertFalse(Files.exists(root.resolve("empty")));
  }

  @Test
  void aFolderHoldingOnlyUnfinishedUploadsSaysSoWhenItCannotBeDeleted() throws Exception {
    write("d/x.bin", 1);
    write("p/" + home.partialFor(root.resolve("p/x.bin")).getFileName(), 1);
    Refused plain = assertThrows(Refused.class, () -> home.delete("/", "d"));
    Refused partials = assertThrows(Refused.class, () -> home.delete("/", "p"));
    assertEquals(Refusal.NOT_EMPTY, plain.code());
    assertEquals(Refusal.NOT_EMPTY, partials.code());
    assertFalse(plain.getMessage().contains("unfinished uploads"), plain.getMessage());
    assertTrue(partials.getMessage().contains("unfinished uploads"), partials.getMessage());
  }

  @Test
  void aFolderWithAPartialAndAFileIsNotReportedAsOnlyPartials() throws Exception {
    write("m/" + home.partialFor(root.resolve("m/x.bin")).getFileName(), 1);
    write("m/zzz.bin", 1);
    Refused e = assertThrows(Refused.class, () -> home.delete("/", "m"));
    assertFalse(e.getMessage().contains("unfinished uploads"), e.getMessage());
  }

  @Test
  void deletingAPartialAnswersItsSizeAndAMissingOneZero() throws Exception {
    Path partial = home.partialFor(root.resolve("f.bin"));
    Files.write(partial, new byte[77]);
    assertEquals(77, home.deletePartial(partial));
    assertFalse(Files.exists(partial));
    assertEquals(0, home.deletePartial(partial));
    assertThrows(IllegalArgumentException.class, () -> home.deletePartial(root.resolve("f.bin")));
  }

  @Test
  void aPartialIsRecognisedByItsSuffixOnly() {
    assertTrue(Home.isPartial(home.partialFor(root.resolve("f.bin"))));
    assertFalse(Home.isPartial(root.resolve("f.bin")));
    assertTrue(home.partialFits(home.partialFor(root.resolve("f.bin"))));
    Path longest = Path.of("/" + "x".repeat(Confinement.MAX_REAL_PATH_BYTES - 1));
    assertTrue(home.partialFits(longest), "exactly the most the OS takes");
    assertFalse(home.partialFits(Path.of(longest + "x")));
  }

  @Test
  void statRealOfAPartialSeesItsSize() throws Exception {
    Path partial = home.partialFor(root.resolve("f.bin"));
    Files.write(partial, new byte[9]);
    assertEquals(9, home.statReal(partial).size());
    assertTrue(home.statReal(partial).exists());
  }

  @Test
  void publishingOverAFolderIsRefusedAndAMissingPartialIsNotFound() throws Exception {
    Files.createDirectories(root.resolve("taken"));
    Path partialOfTaken = home.partialFor(root.resolve("taken"));
    Files.write(partialOfTaken, new byte[1]);
    Refused folder = assertThrows(Refused.class, () -> home.publishPartial(partialOfTaken, root.resolve("taken")));
    assertEquals(Refusal.IS_A_DIRECTORY, folder.code());
    Path gone = home.partialFor(root.resolve("new.bin"));
    assertEquals(Refusal.NOT_FOUND,
        assertThrows(Refused.class, () -> home.publishPartial(gone, root.resolve("new.bin"))).code());
    Files.createDirectories(gone);
    assertEquals(Refusal.NOT_FOUND,
        assertThrows(Refused.class, () -> home.publishPartial(gone, root.resolve("new.bin"))).code(),
        "a folder with the partial's name is no partial");
  }

  @Test
  void publishingRenamesThePartialOverTheFile() throws Exception {
    write("f.bin", 5);
    Path partial = home.partialFor(root.resolve("f.bin"));
    Files.write(partial, new byte[2]);
    home.publishPartial(partial, root.resolve("f.bin"));
    assertEquals(2, Files.size(root.resolve("f.bin")));
    assertFalse(Files.exists(partial));
  }

  @Test
  void theStaleSweepAnswersWhatItFreedAndGivesBackEveryHoldItTook() throws Exception {
    Instant now = Instant.now();
    Path old1 = home.partialFor(root.resolve("a.bin"));
    Path old2 = home.partialFor(write("d/b.bin", 0));
    Path fresh = home.partialFor(root.resolve("c.bin"));
    Files.write(old1, new byte[3]);
    Files.write(old2, new byte[5]);
    Files.write(fresh, new byte[7]);
    Files.setLastModifiedTime(old1, FileTime.from(now.minus(Duration.ofHours(2))));
    Files.setLastModifiedTime(old2, FileTime.from(now.minus(Duration.ofHours(2))));
    Set<Path> held = new HashSet<>();
    List<Path> holds = new ArrayList<>();
    PartialGuard guard = new PartialGuard() {
      @Override public boolean tryHold(Path partial) {
        holds.add(partial);
        return held.add(partial);
      }
      @Override public void release(Path partial) {
        assertTrue(held.remove(partial));
      }
    };
    Tally freed = home.deleteStalePartials(Duration.ofHours(1), now, guard);
    assertEquals(new Tally(8, 2), freed, "the bytes and partials deleted");
    assertEquals(2, holds.size());
    assertTrue(held.isEmpty(), "every hold was released: " + held);
    assertFalse(Files.exists(old1));
    assertFalse(Files.exists(old2));
    assertTrue(Files.exists(fresh));
  }

  @Test
  void publishingOverASymlinkOrFromASymlinkedPartialIsForbiddenAndTheTargetIsUntouched() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.txt"), "keep");
    Files.createSymbolicLink(root.resolve("link.bin"), outside);
    Path partialOfLink = home.partialFor(root.resolve("link.bin"));
    Files.write(partialOfLink, new byte[1]);
    assertEquals(Refusal.FORBIDDEN, assertThrows(Refused.class,
        () -> home.publishPartial(partialOfLink, root.resolve("link.bin"))).code());
    Path partial = home.partialFor(root.resolve("f.bin"));
    Files.createSymbolicLink(partial, outside);
    assertEquals(Refusal.FORBIDDEN, assertThrows(Refused.class,
        () -> home.publishPartial(partial, root.resolve("f.bin"))).code());
    assertEquals(Refusal.FORBIDDEN, assertThrows(Refused.class, () -> home.deletePartial(partial)).code());
    assertEquals("keep", Files.readString(outside));
    assertTrue(Files.isSymbolicLink(partial));
  }

  @Test
  void aListingPageTakesEntriesUntilTheirCostFillsTheRoomExactly() throws Exception {
    for (String n : new String[] {"a", "b", "c", "d", "e"}) write(n, 0);
    dev.selectftp.server.storage.PageSize fiveEach = new dev.selectftp.server.storage.PageSize() {
      @Override public int maxEntries() { return 100; }
      @Override public long room(String folder) { return 10; }
      @Override public long cost(dev.selectftp.server.storage.Entry entry) { return 5; }
    };
    dev.selectftp.server.storage.Listing page = home.list("/", "/", null, fiveEach);
    assertEquals(List.of("a", "b"), page.entries().stream().map(dev.selectftp.server.storage.Entry::name).toList());
    assertEquals("b", page.next());
  }

  @Test
  void aFolderOfAHundredPartialsIsReportedAsOnlyPartials() throws Exception {
    for (int i = 0; i < 100; i++) write("h/" + home.partialFor(root.resolve("h/f" + i)).getFileName(), 0);
    Refused e = assertThrows(Refused.class, () -> home.delete("/", "h"));
    assertTrue(e.getMessage().contains("unfinished uploads"), e.getMessage());
  }
}
