package dev.selectftp.server.files;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.storage.VirtualPath;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A name too long for the plain partial form keeps the longest prefix that fits, cut on a character
 * boundary whatever the width of its characters in UTF-8 (1 to 4 bytes, each width at its first and last
 * code point).
 */
class PartialNamePrefixTest {
  private static final int[] EDGE_CODE_POINTS = {0x41, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x1F600};

  private static int utf8Bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The kept prefix: what comes after the leading dot and before the hash separator. */
  private static String keptPrefix(String partialName) {
    return partialName.substring(1, partialName.lastIndexOf('~'));
  }

  @Test
  void theHashedFormKeepsTheLongestWholeCharacterPrefixThatFits() {
    for (int cp : EDGE_CODE_POINTS) {
      for (String lead : new String[] {"", "a", "ab", "abc"}) {
        String ch = new String(Character.toChars(cp));
        String name = lead + ch.repeat(VirtualPath.MAX_NAME_BYTES / utf8Bytes(ch));
        while (utf8Bytes(name) > VirtualPath.MAX_NAME_BYTES) name = name.substring(0, name.length() - ch.length());
        String partial = Partials.partialName(name);
        String prefix = keptPrefix(partial);
        String label = "U+" + Integer.toHexString(cp) + " after " + lead.length();
        assertTrue(name.startsWith(prefix), label);
        assertTrue(utf8Bytes(prefix) <= Partials.HASHED_PREFIX_BYTES, label + ": prefix too long");
        assertTrue(utf8Bytes(prefix) + utf8Bytes(ch) > Partials.HASHED_PREFIX_BYTES,
            label + ": one more character would have fit");
        assertTrue(utf8Bytes(partial) <= VirtualPath.MAX_NAME_BYTES, label);
      }
    }
  }

  @Test
  void namesStartingWithASlashOrNulHaveNoPartial() {
    assertThrows(IllegalArgumentException.class, () -> Partials.partialName("/x"));
    assertThrows(IllegalArgumentException.class, () -> Partials.partialName("\0x"));
    assertThrows(IllegalArgumentException.class, () -> NameChecks.nameOf(java.nio.file.FileSystems.getDefault(), "/x"));
    assertThrows(IllegalArgumentException.class, () -> NameChecks.nameOf(java.nio.file.FileSystems.getDefault(), "\0x"));
  }
}
