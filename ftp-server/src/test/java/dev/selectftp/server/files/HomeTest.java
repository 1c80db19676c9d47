package dev.selectftp.server.files;

import dev.selectftp.server.storage.VirtualPath;
import dev.selectftp.server.storage.FileInfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class HomeTest {
  @TempDir Path dir;
  private Path root;
  private Home home;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("home/xiaoyu"));
    home = new Home(root);
  }

  private static Refusal codeOf(Executable e) {
    return assertThrows(Refused.class, e).code();
  }

  private Path write(String rel, String content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, content);
  }

  @Test
  void aPathTooLongForTheOsIsABadPathNotAnInternalError() {
    String longPath = ("/" + "\u20AC".repeat(85)).repeat(20); // 1720 chars, 5120 UTF-8 bytes
    assertEquals(Refusal.BAD_PATH, codeOf(() -> home.makeDir("/", longPath)));
  }

  @Test
  void cdMovesIntoFoldersAndDotDotStopsAtTheHome() throws Exception {
    Files.createDirectories(root.resolve("docs/deep"));
    write("f.txt", "x");
    assertEquals("/docs/deep", home.changeDir("/", "docs/deep"));
    assertEquals("/docs", home.changeDir("/docs/deep", ".."));
    assertEquals("/", home.changeDir("/", ".."));
    assertEquals("/", home.changeDir("/docs", "../../.."));
    assertEquals(Refusal.NOT_FOUND, codeOf(() -> home.changeDir("/", "nope")));
    assertEquals(Refusal.NOT_A_DIRECTORY, codeOf(() -> home.changeDir("/", "f.txt")));
  }

  @Test
  void mkdirCreatesOneFolderAndReportsEachFailure() throws Exception {
    home.makeDir("/", "photos");
    assertTrue(Files.isDirectory(root.resolve("photos")));
    assertEquals(Refusal.EXISTS, codeOf(() -> home.makeDir("/", "photos")));
    assertEquals(Refusal.NOT_FOUND, codeOf(() -> home.makeDir("/", "a/b")));
    write("f.txt", "x");
    assertEquals(Refusal.NOT_A_DIRECTORY, codeOf(() -> home.makeDir("/", "f.txt/sub")));
    assertEquals(Refusal.EXISTS, codeOf(() -> home.makeDir("/", "/")));
  }

  @Test
  void deleteRemovesAFileOrAnEmptyFolderAndNothingElse() throws Exception {
    write("a.txt", "12345");
    Path partial = write(".a.txt.selectftp-part", "12");
    Files.createDirectory(root.resolve("empty"));
    assertEquals(5, home.delete("/", "a.txt"));
    assertFalse(Files.exists(root.resolve("a.txt")));
    assertTrue(Files.exists(partial), "the partial of a deleted file stays");
    assertEquals(0, home.delete("/", "empty"));
    assertFalse(Files.exists(root.resolve("empty")));
  }

  @Test
  void deleteReportsEachFailure() throws Exception {
    write("full/x.txt", "x");
    write("onlypartials/.y.selectftp-part", "y");
    assertEquals(Refusal.NOT_EMPTY, codeOf(() -> home.delete("/", "full")));
    Refused e = assertThrows(Refused.class, () -> home.delete("/", "onlypartials"));
    assertEquals(Refusal.NOT_EMPTY, e.code());
    assertTrue(e.getMessage().contains("unfinished uploads"), e.getMessage());
    assertEquals(Refusal.NOT_FOUND, codeOf(() -> home.delete("/", "nope")));
    assertEquals(Refusal.BAD_PATH, codeOf(() -> home.delete("/", "/")));
    assertEquals(Refusal.BAD_PATH, codeOf(() -> home.delete("/full", "..")), "'..' from /full is / itself");
  }

  @Test
  void renameMovesWithinTheHome() throws Exception {
    write("a.txt", "a");
    Files.createDirectory(root.resolve("docs"));
    home.rename("/", "a.txt", "docs/b.txt");
    assertEquals("a", Files.readString(root.resolve("docs/b.txt")));
    assertFalse(Files.exists(root.resolve("a.txt")));
    home.rename("/docs", "/docs", "/papers");
    assertTrue(Files.exists(root.resolve("papers/b.txt")));
  }

  @Test
  void renameReportsEachFailure() throws Exception {
    write("a.txt", "a");
    write("b.txt", "b");
    Files.createDirectories(root.resolve("dir/sub"));
    assertEquals(Refusal.EXISTS, codeOf(() -> home.rename("/", "a.txt", "b.txt")));
    assertEquals("b", Files.readString(root.resolve("b.txt")), "an existing target is never replaced");
    assertEquals(Refusal.NOT_FOUND, codeOf(() -> home.rename("/", "nope", "c.txt")));
    assertEquals(Refusal.NOT_FOUND, codeOf(() -> home.rename("/", "a.txt", "missing/c.txt")));
    assertEquals(Refusal.BAD_PATH, codeOf(() -> home.rename("/", "dir", "dir/sub/dir")));
    assertEquals(Refusal.BAD_PATH, codeOf(() -> home.rename("/", "/", "x")));
    assertEquals(Refusal.BAD_PATH, codeOf(() -> home.rename("/", "a.txt", "/")));
  }

  @Test
  void usedBytesCountsFilesAndPartialsButNotFolders() throws Exception {
    write("a.txt", "12345");
    write("d/.b.selectftp-part", "123");
    assertEquals(8, home.tally().bytes());
  }

  @Test
  void deleteStalePartialsDeletesOnlyOldPartials() throws Exception {
    Instant now = Instant.parse("2026-11-21T18:00:00Z");
    Path old = write("d/.old.selectftp-part", "old");
    Path fresh = write(".fresh.selectftp-part", "fresh");
    Path oldFile = write("old.txt", "a real file, however old");
    Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofDays(8))));
    Files.setLastModifiedTime(oldFile, FileTime.from(now.minus(Duration.ofDays(800))));
    Files.setLastModifiedTime(fresh, FileTime.from(now.minus(Duration.ofDays(6))));
    assertEquals(1, home.deleteStalePartials(Duration.ofDays(7), now, new dev.selectftp.server.transfer.UploadLocks()).entries());
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(fresh));
    assertTrue(Files.exists(oldFile));
  }

  @Test
  void partialsLiveNextToTheirFileAndStayWithinTheNameLimit() throws Exception {
    Path real = home.toReal("/docs/a.txt");
    assertEquals(root.resolve("docs/.a.txt.selectftp-part"), home.partialFor(real));
    assertTrue(Home.isPartial(home.partialFor(real)));
    String longName = "\u20AC".repeat(85);
    Path longPartial = home.partialFor(home.toReal("/" + longName));
    String name = longPartial.getFileName().toString();
    assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= VirtualPath.MAX_NAME_BYTES, name);
    assertTrue(Home.isPartial(longPartial));
    assertEquals(longPartial, home.partialFor(home.toReal("/" + longName)), "deterministic, so resumable");
    assertFalse(longPartial.equals(home.partialFor(home.toReal("/" + longName.substring(1) + "x"))));
  }

  @Test
  void statReportsFilesFoldersAndAbsence() throws Exception {
    write("a.txt", "abc");
    FileInfo f = home.stat("/a.txt");
    assertTrue(f.exists());
    assertFalse(f.dir());
    assertEquals(3, f.size());
    assertTrue(home.stat("/").dir());
    assertFalse(home.stat("/nope").exists());
  }

  @Test
  void uploadFlowWritesAPartialAndPublishesItOverTheRealName() throws Exception {
    write("a.txt", "old");
    Path real = home.toReal("/a.txt");
    Path partial = home.partialFor(real);
    try (FileChannel ch = home.openWrite(partial, false)) {
      ch.write(ByteBuffer.wrap("new content".getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
    }
    try (FileChannel ch = home.openWrite(partial, true)) {
      assertEquals(0, ch.size(), "truncate empties the partial");
      ch.write(ByteBuffer.wrap("fresh".getBytes(StandardCharsets.UTF_8)), 0);
    }
    home.publishPartial(partial, real);
    assertEquals("fresh", Files.readString(root.resolve("a.txt")));
    assertFalse(Files.exists(partial));
    try (FileChannel ch = home.openRead(real)) {
      assertEquals(5, ch.size());
    }
    assertEquals(Refusal.IS_A_DIRECTORY, codeOf(() -> home.openRead(root)));
    assertEquals(Refusal.NOT_FOUND, codeOf(() -> home.openRead(root.resolve("nope"))));
    assertEquals(Refusal.NOT_FOUND, codeOf(() -> home.openWrite(root.resolve("nodir/x"), false)));
  }

  @Test
  void deletePartialReturnsTheBytesFreed() throws Exception {
    Path partial = write(".a.selectftp-part", "1234");
    assertEquals(4, home.deletePartial(partial));
    assertEquals(0, home.deletePartial(partial));
  }
}
