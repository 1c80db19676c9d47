package dev.selectftp.server.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Naming of hidden partial uploads: {@code .NAME.selectftp-part} next to the final file.
 *
 * <p>Users can never name such a file themselves ({@link VirtualPath} refuses the suffix), so a partial can
 * never collide with, or be addressed as, a user's file.
 */
final class Partials {
  /** Hex digits of SHA-256(name) that stand in for a name too long to carry whole. */
  private static final int NAME_HASH_HEX_CHARS = 32;
  /** Bytes left for the readable prefix of a shortened partial name: "." + prefix + "~" + hash + suffix. */
  private static final int SHORTENED_PREFIX_BYTES =
      VirtualPath.MAX_NAME_BYTES - 2 - NAME_HASH_HEX_CHARS - VirtualPath.PARTIAL_SUFFIX.length();

  private Partials() {}

  static boolean isPartial(Path path) {
    Path name = path.getFileName();
    return name != null && name.toString().endsWith(VirtualPath.PARTIAL_SUFFIX);
  }

  /**
   * The partial's file name for a final name. A final name near the 255-byte limit would overflow it with
   * the dot and suffix added, so such names keep a readable prefix plus a hash of the whole name; the
   * mapping stays deterministic, which is all that resuming needs.
   */
  static String partialName(String finalName) {
    String plain = "." + finalName + VirtualPath.PARTIAL_SUFFIX;
    if (plain.getBytes(StandardCharsets.UTF_8).length <= VirtualPath.MAX_NAME_BYTES) return plain;
    return "." + utf8Prefix(finalName, SHORTENED_PREFIX_BYTES) + "~" + nameHash(finalName)
        + VirtualPath.PARTIAL_SUFFIX;
  }

  private static String utf8Prefix(String s, int maxBytes) {
    int bytes = 0;
    int end = 0;
    while (end < s.length()) {
      int cp = s.codePointAt(end);
      int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + len > maxBytes) break;
      bytes += len;
      end += Character.charCount(cp);
    }
    return s.substring(0, end);
  }

  private static String nameHash(String name) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, NAME_HASH_HEX_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
