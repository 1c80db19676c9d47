package dev.selectftp.server.files;

import dev.selectftp.server.storage.VirtualPath;

import java.util.Comparator;

/**
 * The order of listings on the wire: Unicode code point order, which is also the byte order of the names'
 * UTF-8, so a client in any language can reproduce it. {@link String#compareTo} compares UTF-16 units and
 * would put U+FF5E after U+1F600; this differs from it only in where surrogate pairs sort.
 */
final class NameOrder {
  static final Comparator<String> CODE_POINTS = NameOrder::compare;

  private NameOrder() {}

  static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) return rank(x) - rank(y);
    }
    return a.length() - b.length();
  }

  /**
   * Moves surrogates (U+D800..U+DFFF, halves of code points above U+FFFF) above U+E000..U+FFFF, so the first
   * differing UTF-16 unit decides as the code point would. Lone surrogates never reach here: such names are
   * not acceptable ({@link VirtualPath#isAcceptableName}).
   */
  private static int rank(char c) {
    if (c < 0xD800) return c;
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }
}
