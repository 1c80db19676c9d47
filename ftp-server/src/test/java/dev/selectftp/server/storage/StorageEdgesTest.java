package dev.selectftp.server.storage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.selectftp.server.refusal.Refused;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Small promises of the storage room: refusal texts that echo names, deltas undone, the smallest bounds. */
class StorageEdgesTest {
  private static String refusalOf(String path) {
    return assertThrows(Refused.class, () -> VirtualPath.resolve("/", path)).getMessage();
  }

  @Test
  void aShortRefusedNameIsEchoedWhole() {
    assertEquals("the name \". .\" consists only of dots and spaces", refusalOf("/a/. ."));
  }

  @Test
  void aLongRefusedNameIsEchoedCutToSixtyCharacters() {
    String name = "x".repeat(300);
    assertEquals("the name \"" + "x".repeat(60) + "…\" is 300 bytes long; at most 255 UTF-8 bytes are allowed",
        refusalOf("/" + name));
  }

  @Test
  void anEchoIsNeverCutInsideASurrogatePair() {
    String name = "x".repeat(59) + "\uD83D\uDE00" + "y".repeat(250); // the 60th char starts an emoji
    String message = refusalOf("/" + name);
    assertEquals("the name \"" + "x".repeat(59) + "…\" is 313 bytes long; at most 255 UTF-8 bytes are allowed",
        message);
  }

  @Test
  void aNameWithALookAlikeOfASlashIsNotAcceptable() {
    assertFalse(VirtualPath.isAcceptableName("a\uFF0Fb"));
    assertFalse(VirtualPath.isAcceptableName("a\u2216b"));
  }

  @Test
  void aNegatedTallyUndoesTheChange() {
    assertEquals(new Tally(-5, 2), new Tally(5, -2).negated());
  }

  @Test
  void theSmallestBoundsAreOneEntry() {
    assertDoesNotThrow(() -> new HashCache(1));
    assertThrows(IllegalArgumentException.class, () -> new HashCache(0));
    assertEquals(1, PageSize.entries(1).maxEntries());
    assertThrows(IllegalArgumentException.class, () -> PageSize.entries(0));
  }

  @Test
  void removedHomesLiveBesideTheHomesInTheDataFolder() {
    Path data = Path.of("/srv/data");
    assertEquals(Path.of("/srv/data/removed"), HomeLayout.removedDir(data));
    assertEquals(Path.of("/srv/data/home/bob"), HomeLayout.homeOf(data, "bob"));
  }

  @Test
  void aRefusedNameOfExactlySixtyCharactersIsEchoedWhole() {
    String name = ". ".repeat(30);
    assertEquals("the name \"" + name + "\" consists only of dots and spaces", refusalOf("/" + name));
  }

  @Test
  void aNameStartingWithASlashIsNotOneName() {
    assertFalse(VirtualPath.isAcceptableName("/x"));
  }

  @Test
  void aResolvedPathOfExactlyTheLimitIsAcceptedAndOneCharacterMoreIsNot() throws Refused {
    String cwd = ("/" + "c".repeat(200)).repeat(10); // 2,010 chars
    String rest = ("d".repeat(200) + "/").repeat(10); // 2,010 chars, a trailing slash
    String exact = rest + "e".repeat(VirtualPath.MAX_PATH_CHARS - cwd.length() - rest.length() - 1);
    assertEquals(VirtualPath.MAX_PATH_CHARS, VirtualPath.resolve(cwd, exact).length());
    assertThrows(Refused.class, () -> VirtualPath.resolve(cwd, exact + "e"));
  }
}
