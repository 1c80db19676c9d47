package dev.selectftp.server.files;

import dev.selectftp.server.storage.HomeLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation acts on the folder it walked to, by descriptor: when a local process swaps that folder
 * for a link to an outside folder right after the walk (through {@link Home#afterWalk}, exactly between
 * check and use), the operation still lands in the original folder, which the attacker moved away, and the
 * outside folder is untouched. A check-then-use-by-path implementation fails each of these.
 */
class DescriptorWalkTest {
  @TempDir Path data;
  private TestTree t;
  private Home home;
  private Path docs;
  private Path parked;

  @BeforeEach
  void setUp() throws IOException {
    t = new TestTree(data);
    home = t.home;
    docs = t.homeDir.resolve("docs");
    parked = data.resolve("parked");
    Files.writeString(docs.resolve("a.txt"), "mine");
    Files.writeString(t.sentinel.resolve("a.txt"), "outside!");
    Files.createDirectory(t.sentinel.resolve("sub-of-outside"));
  }

  /** On the {@code nth} walk, moves docs out of the home and puts a link to the outside folder in its place. */
  private void swapOnWalk(int nth) {
    AtomicInteger walks = new AtomicInteger();
    home.afterWalk(() -> {
      if (walks.incrementAndGet() != nth) return;
      try {
        Files.move(docs, parked);
        Files.createSymbolicLink(docs, t.sentinel);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private Map<String, String> outside() throws IOException {
    Map<String, String> snap = new TreeMap<>();
    try (Stream<Path> all = Files.walk(t.sentinel)) {
      for (Path p : all.toList()) {
        snap.put(t.sentinel.relativize(p).toString(), Files.isDirectory(p) ? "dir" : Files.readString(p));
      }
    }
    return snap;
  }

  @Test
  void aReadOpensTheFileOfTheFolderItWalkedNotTheLinksTarget() throws Exception {
    Path real = home.toReal("/docs/a.txt");
    swapOnWalk(1);
    try (FileChannel ch = home.openRead(real)) {
      ByteBuffer b = ByteBuffer.allocate(64);
      ch.read(b, 0);
      assertEquals("mine", new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aStatReadsTheFolderItWalked() throws Exception {
    swapOnWalk(1);
    assertEquals("mine".length(), home.stat("/docs/a.txt").size());
  }

  @Test
  void aWriteCreatesItsPartialInTheFolderItWalked() throws Exception {
    Map<String, String> before = outside();
    Path partial = home.partialFor(home.toReal("/docs/new.txt"));
    swapOnWalk(1);
    try (FileChannel ch = home.openWrite(partial, true)) {
      ch.write(ByteBuffer.wrap("upload".getBytes(StandardCharsets.UTF_8)), 0);
    }
    assertEquals("upload", Files.readString(parked.resolve(partial.getFileName())));
    assertEquals(before, outside());
  }

  @Test
  void publishingRenamesInTheFolderItWalked() throws Exception {
    Path real = home.toReal("/docs/a.txt");
    Path partial = home.partialFor(real);
    Files.writeString(partial, "new");
    Map<String, String> before = outside();
    swapOnWalk(1);
    home.publishPartial(partial, real);
    assertEquals("new", Files.readString(parked.resolve("a.txt")));
    assertEquals(before, outside(), "the outside a.txt was not replaced");
  }

  @Test
  void deleteRemovesFromTheFolderItWalked() throws Exception {
    Map<String, String> before = outside();
    swapOnWalk(1);
    assertEquals("mine".length(), home.delete("/", "docs/a.txt"));
    assertFalse(Files.exists(parked.resolve("a.txt")));
    assertEquals(before, outside(), "the outside a.txt was not deleted");
  }

  @Test
  void deletingAPartialRemovesFromTheFolderItWalked() throws Exception {
    Path partial = home.partialFor(home.toReal("/docs/a.txt"));
    Files.writeString(partial, "12");
    Files.writeString(t.sentinel.resolve(partial.getFileName().toString()), "outside partial");
    Map<String, String> before = outside();
    swapOnWalk(1);
    assertEquals(2, home.deletePartial(partial));
    assertEquals(before, outside());
  }

  @Test
  void mkdirCreatesInTheFolderItWalked() throws Exception {
    Map<String, String> before = outside();
    swapOnWalk(1);
    home.makeDir("/", "docs/made");
    assertTrue(Files.isDirectory(parked.resolve("made")));
    assertEquals(before, outside(), "nothing was created outside");
    assertEquals(List.of(), names(HomeLayout.homesDir(data).resolve(HomeLayout.STAGING_DIR)), "staging is left empty");
  }

  @Test
  void renameMovesWithinTheFoldersItWalked() throws Exception {
    Map<String, String> before = outside();
    swapOnWalk(2); // after both the source's and the target's folder are held
    home.rename("/", "docs/a.txt", "docs/b.txt");
    assertEquals("mine", Files.readString(parked.resolve("b.txt")));
    assertEquals(before, outside());
  }

  @Test
  void aFolderHandleListsAndStatsTheFolderItOpened() throws Exception {
    swapOnWalk(1);
    try (Folder folder = home.openFolder("/docs")) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = folder.names(); it.hasNext(); ) names.add(it.next());
      assertEquals(List.of("a.txt"), names);
      assertEquals("mine".length(), folder.attributes("a.txt").orElseThrow().size());
      assertTrue(folder.attributes("sub-of-outside").isEmpty());
      assertThrows(IllegalArgumentException.class, () -> folder.attributes(".."));
      assertThrows(IllegalArgumentException.class, () -> folder.attributes("x/y"));
      assertThrows(IllegalStateException.class, folder::names);
    }
  }

  // --- a link already in place: every operation refuses it, wherever on the path it is -------------------

  private void assertForbidden(Executable e) {
    Refused ex = assertThrows(Refused.class, e);
    assertEquals(Refusal.FORBIDDEN, ex.code(), ex.getMessage());
  }

  @Test
  void everyOperationRefusesASymlinkedParent() throws Exception {
    Path real = home.toReal("/docs/a.txt");
    Path partial = home.partialFor(real);
    Files.writeString(partial, "p");
    Files.writeString(t.sentinel.resolve(partial.getFileName().toString()), "outside partial");
    Files.move(docs, parked);
    Files.createSymbolicLink(docs, t.sentinel);
    Map<String, String> before = outside();

    assertForbidden(() -> home.toReal("/docs/a.txt"));
    assertForbidden(() -> home.stat("/docs/a.txt"));
    assertForbidden(() -> home.statReal(real));
    assertForbidden(() -> home.openRead(real));
    assertForbidden(() -> home.openWrite(partial, true));
    assertForbidden(() -> home.publishPartial(partial, real));
    assertForbidden(() -> home.deletePartial(partial));
    assertForbidden(() -> home.delete("/", "docs/a.txt"));
    assertForbidden(() -> home.rename("/", "docs/a.txt", "b.txt"));
    assertForbidden(() -> home.rename("/", "victim.txt", "docs/b.txt"));
    assertForbidden(() -> home.makeDir("/", "docs/made"));
    assertForbidden(() -> home.openFolder("/docs"));
    assertForbidden(() -> home.openFolder("/docs/sub-of-outside"));
    assertForbidden(() -> home.changeDir("/", "docs"));
    assertEquals(before, outside());
  }

  @Test
  void theStalePartialSweepDeletesOldPartialsInsideButNeverThroughALink() throws Exception {
    java.time.Instant now = java.time.Instant.now();
    java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(now.minus(Duration.ofDays(30)));
    Path inside = Files.createDirectories(docs.resolve("deep/er")).resolve(".x.selectftp-part");
    Files.writeString(inside, "stale");
    Files.setLastModifiedTime(inside, old);
    Path outsidePartial = t.sentinel.resolve(".x.selectftp-part");
    Files.writeString(outsidePartial, "not ours");
    Files.setLastModifiedTime(outsidePartial, old);
    Files.createSymbolicLink(t.homeDir.resolve("link"), t.sentinel);
    Map<String, String> before = outside();
    assertEquals(1, home.deleteStalePartials(Duration.ofDays(7), now, new dev.selectftp.server.transfer.UploadLocks()).entries());
    assertFalse(Files.exists(inside));
    assertEquals(before, outside());
  }

  @Test
  void aFifoIsRefusedWithoutEverBeingOpened() throws Exception {
    Path fifo = t.homeDir.resolve("pipe");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, p.waitFor());
    Path real = home.toReal("/docs").resolveSibling("pipe");
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertForbidden(() -> home.openRead(real));
      assertForbidden(() -> home.openWrite(real, false));
      assertForbidden(() -> home.stat("/pipe"));
      assertForbidden(() -> home.openFolder("/pipe"));
      assertEquals(Refusal.NOT_A_DIRECTORY,
          assertThrows(Refused.class, () -> home.stat("/pipe/x")).code());
    });
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
