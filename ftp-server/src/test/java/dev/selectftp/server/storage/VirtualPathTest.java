package dev.selectftp.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VirtualPathTest {

  @ParameterizedTest(name = "cwd {0} + {1} = {2}")
  @CsvSource({
    "/, a.txt, /a.txt",
    "/docs, a.txt, /docs/a.txt",
    "/docs, /a.txt, /a.txt",
    "/docs, .., /",
    "/docs/x, ../y, /docs/y",
    "/, a//b///c, /a/b/c",
    "/, ./a/./b/., /a/b",
    "/, a/b/.., /a",
    "/docs, /, /",
    "/, 'trailing. ', '/trailing. '",
    "/, .hidden, /.hidden",
    "/, a..b, /a..b",
  })
  void resolvesRelativeAndAbsolutePathsToNormalizedAbsoluteOnes(String cwd, String path, String expected)
      throws Refused {
    assertEquals(expected, VirtualPath.resolve(cwd, path));
  }

  @Test
  void normalizesToNfcSoTwoSpellingsOfOneNameAreOneName() throws Refused {
    assertEquals("/caf\u00e9", VirtualPath.resolve("/", "cafe\u0301"));
  }

  @Test
  void acceptsANameOfExactly255Utf8Bytes() throws Refused {
    String name = "a".repeat(255);
    assertEquals("/" + name, VirtualPath.resolve("/", name));
    assertEquals("/" + "\u20AC".repeat(85), VirtualPath.resolve("/", "\u20AC".repeat(85))); // 255 bytes
  }

  @Test
  void refusesANameOf256BytesWithAMessageThatSaysSo() {
    Refused e = assertThrows(Refused.class, () -> VirtualPath.resolve("/", "a".repeat(256)));
    assertEquals(Refusal.BAD_PATH, e.code());
    assertTrue(e.getMessage().contains("256 bytes"), e.getMessage());
  }

  @Test
  void acceptsATypedPathOfExactly4096CharactersAndRefusesOneMore() throws Refused {
    // "/" + 16 segments of 255 "a" joined by "/" is 4,096 characters, each name within its 255 bytes.
    String segment = "a".repeat(VirtualPath.MAX_NAME_BYTES);
    String longest = "/" + String.join("/", java.util.Collections.nCopies(16, segment));
    assertEquals(VirtualPath.MAX_PATH_CHARS, longest.length());
    assertEquals(longest, VirtualPath.resolve("/", longest));
    Refused e = assertThrows(Refused.class, () -> VirtualPath.resolve("/", longest + "/"));
    assertEquals(Refusal.BAD_PATH, e.code());
    assertTrue(e.getMessage().contains("longer than 4096"), e.getMessage());
  }

  @Test
  void refusesClimbingAboveTheHomeButClampsItForCd() throws Refused {
    assertEquals(Refusal.BAD_PATH, assertThrows(Refused.class, () -> VirtualPath.resolve("/", "..")).code());
    assertEquals("/", VirtualPath.resolveClamped("/", ".."));
    assertEquals("/x", VirtualPath.resolveClamped("/", "../../x"));
  }

  @Test
  void messagesNameTheProblemWithoutEchoingControlCharacters() {
    Refused e = assertThrows(Refused.class, () -> VirtualPath.resolve("/", "a\u001b[2Jb"));
    assertTrue(e.getMessage().contains("U+001B"), e.getMessage());
    assertFalse(e.getMessage().contains("\u001b"));
    Refused slash = assertThrows(Refused.class, () -> VirtualPath.resolve("/", "a\uFF0Fb"));
    assertTrue(slash.getMessage().contains("look-alike of / or ."), slash.getMessage());
  }

  @Test
  void refusesThePartialSuffixInAnyCase() {
    for (String p : new String[] {"a.selectftp-part", "a.SelectFTP-Part", "dir.selectftp-part/x"}) {
      assertEquals(Refusal.BAD_PATH, assertThrows(Refused.class, () -> VirtualPath.resolve("/", p)).code());
    }
  }

  @Test
  void rejectsACwdThatTheServerCouldNotHaveProduced() {
    assertThrows(IllegalArgumentException.class, () -> VirtualPath.resolve("docs", "a"));
    assertThrows(IllegalArgumentException.class, () -> VirtualPath.resolve("/..", "a"));
  }

  @Test
  void acceptableNameAgreesWithResolveForSingleNames() {
    assertTrue(VirtualPath.isAcceptableName("report.pdf"));
    assertFalse(VirtualPath.isAcceptableName("..."));
    assertFalse(VirtualPath.isAcceptableName("a\nb"));
    assertFalse(VirtualPath.isAcceptableName("cafe\u0301")); // not NFC: a user could not address it
  }
}
