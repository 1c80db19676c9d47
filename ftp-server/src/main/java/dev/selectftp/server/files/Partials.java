package dev.selectftp.server.files;

import dev.selectftp.server.storage.VirtualPath;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Naming of hidden partial uploads, next to the final file. Two forms, disjoint by construction:
 *
 * <ul>
 *   <li><b>plain</b> {@code .NAME.selectftp-part}, whenever that fits in {@link VirtualPath#MAX_NAME_BYTES};
 *   <li><b>hashed</b> {@code .PREFIX~SHA256(NAME).selectftp-part.selectftp-part} for longer names: a
 *       readable UTF-8 prefix, the full 64-hex SHA-256 of the whole name, and the suffix twice.
 * </ul>
 *
 * <p>Why this is injective: within each form the name is recoverable (plain) or pinned by a full SHA-256
 * (hashed). Across forms, a plain partial equals a hashed one only if {@code NAME} itself ends in
 * {@code .selectftp-part}, and such names are refused: by {@link VirtualPath} for users (any case) and by
 * {@link #partialName} itself. The earlier single-suffix hashed form ({@code .PREFIX~HASH32.selectftp-part})
 * was also the plain partial of the short name {@code PREFIX~HASH32}, so two names could share one partial.
 *
 * <p>Every partial name fits in 255 UTF-8 bytes, and a partial's path is at most {@link #MAX_EXTRA_BYTES}
 * longer than its file's: the path limit leaves that much room, so every name a user may use has a partial.
 * Users can never name such a file themselves, so a partial never collides with, or is addressed as, a file.
 */
public final class Partials {
  /** The suffix every partial ends with (both forms). */
  static final String SUFFIX = VirtualPath.PARTIAL_SUFFIX;
  /** Ends the hashed form only; a plain partial can end with it only for a refused name. */
  static final String HASHED_SUFFIX = SUFFIX + SUFFIX;
  /** Separates the readable prefix from the hash in the hashed form. */
  private static final String HASH_SEPARATOR = "~";
  /** Hex digits of SHA-256(name): all of them, so the hashed form is as collision-free as SHA-256. */
  static final int NAME_HASH_HEX_CHARS = 64;
  /** Bytes left for the readable prefix of a hashed partial name: "." + prefix + "~" + hash + suffix twice. */
  static final int HASHED_PREFIX_BYTES = VirtualPath.MAX_NAME_BYTES - 1 - HASH_SEPARATOR.length()
      - NAME_HASH_HEX_CHARS - HASHED_SUFFIX.length();
  /**
   * The most a partial's name (so its path) is longer than its file's, in UTF-8 bytes: the plain form adds a
   * dot and the suffix; the hashed form is used only for names whose plain form exceeds 255 bytes, and is
   * itself at most 255 bytes, so it adds less.
   */
  public static final int MAX_EXTRA_BYTES = 1 + SUFFIX.length();

  private Partials() {}

  /**
   * True when the partial's real path is short enough for the OS ({@link Confinement#MAX_REAL_PATH_BYTES}).
   * Always so for paths the home accepted, as their limit leaves {@link #MAX_EXTRA_BYTES} of room; checked
   * anyway so an upload is refused in one clean line rather than failing in {@code open}.
   */
  public static boolean pathFits(Path partial) {
    return partial.toString().getBytes(StandardCharsets.UTF_8).length <= Confinement.MAX_REAL_PATH_BYTES;
  }

  /** True when the file name carries the partial suffix (either form). */
  static boolean isPartial(Path path) {
    Path name = path.getFileName();
    return name != null && name.toString().endsWith(SUFFIX);
  }

  /**
   * The partial's file name for a final name; deterministic, which is all that resuming needs.
   *
   * @throws IllegalArgumentException for a name no user can have: empty, {@code .}/{@code ..}, holding
   *     {@code /} or NUL, a lone surrogate (no UTF-8 form), over 255 UTF-8 bytes, or ending in the suffix
   */
  static String partialName(String finalName) {
    byte[] utf8 = checked(finalName);
    if (1 + utf8.length + SUFFIX.length() <= VirtualPath.MAX_NAME_BYTES) return "." + finalName + SUFFIX;
    return "." + utf8Prefix(finalName, HASHED_PREFIX_BYTES) + HASH_SEPARATOR + nameHash(utf8) + HASHED_SUFFIX;
  }

  private static byte[] checked(String name) {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
        || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a file name");
    }
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    // A lone surrogate encodes as '?', so two names would share bytes on disk: never a user's name.
    if (!new String(utf8, StandardCharsets.UTF_8).equals(name)) {
      throw new IllegalArgumentException("the name has no UTF-8 form");
    }
    if (utf8.length > VirtualPath.MAX_NAME_BYTES) throw new IllegalArgumentException("the name is too long");
    if (name.toLowerCase(Locale.ROOT).endsWith(SUFFIX)) {
      throw new IllegalArgumentException("the name ends in the partial suffix");
    }
    return utf8;
  }

  private static String utf8Prefix(String s, int maxBytes) {
    int bytes = 0;
    int end = 0;
    while (end < s.length()) {
      int cp = s.codePointAt(end);
      int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + len > maxBytes) break;
      bytes += len;
      end += Character.charCount(cp);
    }
    return s.substring(0, end);
  }

  private static String nameHash(byte[] utf8) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
