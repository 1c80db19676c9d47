package dev.selectftp.server.files;

import static dev.selectftp.server.protocol.selectftp.ListingFrames.PAGE;

import dev.selectftp.server.storage.Entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Symlinks inside a home, wherever they point, are never followed. */
class SymlinkTest {
  @TempDir Path data;
  private TestTree t;
  private Home home;

  @BeforeEach
  void setUp() throws IOException {
    t = new TestTree(data);
    home = t.home;
    Path root = t.homeDir;
    Files.createSymbolicLink(root.resolve("file-link"), t.siblingHome.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("dir-link"), t.siblingHome);
    Files.createSymbolicLink(root.resolve("dangling"), data.resolve("no/such/thing"));
    Files.createSymbolicLink(root.resolve("inside-link"), root.resolve("docs"));
    Files.createSymbolicLink(root.resolve("docs/middle"), t.sentinel);
  }

  private void assertForbidden(Executable e) {
    Refused ex = assertThrows(Refused.class, e);
    assertEquals(Refusal.FORBIDDEN, ex.code(), ex.getMessage());
    assertFalse(ex.getMessage().contains(data.toString()), "messages show virtual paths only: " + ex.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/file-link", "/dir-link", "/dir-link/secret.txt", "/dangling", "/inside-link",
      "/inside-link/x", "/docs/middle", "/docs/middle/keep.txt"})
  void everyOperationRefusesALinkWithForbiddenAndTheTargetIsUntouched(String p) {
    Map<String, String> before = t.outsideSnapshot();
    assertForbidden(() -> home.toReal(p));
    assertForbidden(() -> home.stat(p));
    assertForbidden(() -> home.list("/", p, null, PAGE));
    assertForbidden(() -> home.changeDir("/", p));
    assertForbidden(() -> home.delete("/", p));
    assertForbidden(() -> home.rename("/", p, "/moved"));
    assertForbidden(() -> home.rename("/", "victim.txt", p));
    if (!p.equals("/dangling") && !p.equals("/file-link")) assertForbidden(() -> home.makeDir("/", p + "/new"));
    assertForbidden(() -> home.makeDir("/", p));
    assertEquals(before, t.outsideSnapshot());
    assertTrue(Files.isSymbolicLink(t.homeDir.resolve(p.substring(1).split("/")[0]))
        || p.startsWith("/docs"), "the link itself was not removed");
  }

  @Test
  void openingALinkDirectlyIsRefusedEvenWithoutToReal() {
    assertForbidden(() -> home.openRead(t.homeDir.resolve("file-link")));
    assertForbidden(() -> home.openWrite(t.homeDir.resolve("file-link"), true));
    assertForbidden(() -> home.openWrite(t.homeDir.resolve("dangling"), false));
    assertFalse(Files.exists(data.resolve("no/such/thing")), "a dangling link's target was not created");
  }

  @Test
  void listingsAndQuotaScansSkipLinks() throws Exception {
    List<String> names = home.list("/", "/", null, PAGE).entries().stream().map(Entry::name).toList();
    assertEquals(List.of("docs", "victim.txt"), names);
    assertEquals("victim".length(), home.tally().bytes(), "link targets outside are not counted");
  }

  @Test
  void aFolderSwappedForALinkAfterToRealIsCaughtWhenOpening() throws Exception {
    Path docs = t.homeDir.resolve("docs");
    Files.writeString(docs.resolve("a.txt"), "mine");
    Path real = home.toReal("/docs/a.txt");
    Path partialReal = home.partialFor(home.toReal("/docs/new.txt"));
    // The attacker's move: docs becomes a link to a folder outside that holds an a.txt of its own.
    Files.writeString(t.sentinel.resolve("a.txt"), "outside");
    Map<String, String> before = t.outsideSnapshot();
    Files.delete(docs.resolve("middle"));
    Files.delete(docs.resolve("a.txt"));
    Files.delete(docs);
    Files.createSymbolicLink(docs, t.sentinel);

    assertForbidden(() -> home.openRead(real));
    assertForbidden(() -> home.openWrite(real, true));
    assertForbidden(() -> home.openWrite(partialReal, false));
    assertEquals(before, t.outsideSnapshot(), "the outside a.txt kept its content and nothing was created");
  }

  @Test
  void aHomeCanNeverReachItsSiblingWithTheSamePrefix() throws Exception {
    assertEquals(Refusal.BAD_PATH,
        assertThrows(Refused.class, () -> home.toReal("../xiaoyu2/secret.txt")).code());
    Path real = home.toReal("/xiaoyu2/secret.txt");
    assertTrue(real.startsWith(home.root()));
    assertFalse(home.stat("/xiaoyu2/secret.txt").exists());
    Path sibling = t.siblingHome.toRealPath().resolve("secret.txt");
    assertFalse(sibling.startsWith(home.root()), "prefix xiaoyu is not a parent of xiaoyu2");
    assertThrows(IllegalArgumentException.class, () -> home.openRead(sibling));
    assertThrows(IllegalArgumentException.class, () -> home.openWrite(home.root().resolve("../xiaoyu2/x"), true));
    assertFalse(Files.exists(t.siblingHome.resolve("x")));
  }
}
