package dev.selectftp.server.storage;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Pure string logic for the virtual paths users speak: {@code /}-separated, {@code /} being the user's home.
 *
 * <p>Everything that could ever leave the home or confuse a reader is refused here, before any file system
 * call, so that {@link HomeStore} only ever sees normalized, absolute, harmless names. Nothing here touches disk.
 */
public final class VirtualPath {
  /** The user's home as seen by the user. */
  public static final String ROOT = "/";
  /** Longest name (one path segment) in UTF-8 bytes; the Linux NAME_MAX. */
  public static final int MAX_NAME_BYTES = 255;
  /** Longest whole path in UTF-16 chars, checked before any other work so huge input costs nothing. */
  public static final int MAX_PATH_CHARS = 4096;
  /** Names ending in this (any case) are reserved for hidden partial uploads. */
  public static final String PARTIAL_SUFFIX = ".selectftp-part";
  /** Longest piece of a user's name echoed back in an error message. */
  private static final int MAX_ECHO_CHARS = 60;

  /**
   * Characters that render like {@code /} or {@code .}. NFC does not fold them (NFKC would fold only some),
   * and a listing showing {@code ..／etc} is a lie waiting to be believed, so they are refused outright.
   */
  private static final String SLASH_DOT_LOOK_ALIKES =
      "\uFF0F\u2215\u2044\u29F8\u2571\u0337\u0338\u2024\u2025\uFE52\uFF0E";
  /** Characters that render like a backslash, refused for the same reason as the backslash itself. */
  private static final String BACKSLASH_LOOK_ALIKES = "\uFF3C\uFE68\u2216\u29F5\u29F9";

  private VirtualPath() {}

  /**
   * Resolves {@code path} against {@code cwd} and returns the normalized absolute virtual path.
   *
   * @param cwd the session's current folder, an absolute virtual path this class produced earlier
   * @param path what the user typed: absolute (from the home) when it starts with {@code /}, else relative
   * @return for example {@code "/docs/a.txt"}; {@code "/"} for the home itself
   * @throws Refused {@link Refusal#BAD_PATH} for every malformed path and for {@code ..} that
   *     would climb above {@code /}
   */
  public static String resolve(String cwd, String path) throws Refused {
    return resolve(cwd, path, false);
  }

  /**
   * Like {@link #resolve} but a {@code ..} at {@code /} stays at {@code /}, as in a chroot. Only for
   * changing folders, where {@code cd ..} at the home is a harmless no-op rather than an error.
   *
   * @throws Refused {@link Refusal#BAD_PATH} for every other malformed path
   */
  public static String resolveClamped(String cwd, String path) throws Refused {
    return resolve(cwd, path, true);
  }

  /** Splits a normalized absolute virtual path into its names; {@code "/"} gives an empty list. */
  public static List<String> names(String normalized) {
    if (normalized.equals(ROOT)) return List.of();
    return List.of(normalized.substring(1).split("/"));
  }

  /** True when {@code name} is one name a user could address (used to hide unaddressable disk entries). */
  public static boolean isAcceptableName(String name) {
    try {
      if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) return false;
      checkCharacters(name);
      if (!Normalizer.isNormalized(name, Normalizer.Form.NFC)) return false;
      checkLookAlikes(name);
      checkName(name);
      return true;
    } catch (Refused e) {
      return false;
    }
  }

  private static String resolve(String cwd, String path, boolean clampAtRoot) throws Refused {
    if (path == null || path.isEmpty()) throw bad("the path is empty");
    if (path.length() > MAX_PATH_CHARS) {
      throw bad("the path is longer than " + MAX_PATH_CHARS + " characters");
    }
    checkCharacters(path);
    String nfc = Normalizer.normalize(path, Normalizer.Form.NFC);
    checkLookAlikes(nfc);

    Deque<String> names = new ArrayDeque<>();
    if (!nfc.startsWith(ROOT)) names.addAll(names(trustedCwd(cwd)));
    for (String segment : nfc.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) continue;
      if (segment.equals("..")) {
        if (!names.isEmpty()) {
          names.removeLast();
        } else if (!clampAtRoot) {
          throw bad("the path climbs above / (your home folder)");
        }
        continue;
      }
      checkName(segment);
      names.addLast(segment);
    }
    String result = ROOT + String.join("/", names);
    if (result.length() > MAX_PATH_CHARS) {
      throw bad("the resolved path is longer than " + MAX_PATH_CHARS + " characters");
    }
    return result;
  }

  /** The cwd comes from the server itself; a bad one is a bug, not a user error. */
  private static String trustedCwd(String cwd) {
    if (cwd == null || !cwd.startsWith(ROOT)) {
      throw new IllegalArgumentException("cwd must be an absolute virtual path");
    }
    try {
      return resolve(ROOT, cwd, false);
    } catch (Refused e) {
      throw new IllegalArgumentException("cwd is not a valid virtual path: " + e.getMessage(), e);
    }
  }

  private static void checkCharacters(String s) throws Refused {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') throw bad("backslashes are not allowed in paths; use /");
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw bad(String.format(Locale.ROOT, "control character U+%04X at position %d is not allowed", (int) c, i));
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        // A lone surrogate has no UTF-8 form; the OS would see a different name than the user typed.
        throw bad(String.format(Locale.ROOT, "invalid Unicode (lone surrogate) at position %d", i));
      }
    }
  }

  private static void checkLookAlikes(String s) throws Refused {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (SLASH_DOT_LOOK_ALIKES.indexOf(c) >= 0) {
        throw bad(String.format(Locale.ROOT, "U+%04X at position %d is a look-alike of / or .", (int) c, i));
      }
      if (BACKSLASH_LOOK_ALIKES.indexOf(c) >= 0) {
        throw bad(String.format(Locale.ROOT, "U+%04X at position %d is a look-alike of \\", (int) c, i));
      }
    }
  }

  /** A loop, not a stream: this runs for every segment of every path on the event loop. */
  private static boolean onlyDotsAndSpaces(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '.' && c != ' ') return false;
    }
    return true;
  }

  private static void checkName(String name) throws Refused {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw bad("the name \"" + echo(name) + "\" is " + bytes + " bytes long; at most " + MAX_NAME_BYTES
          + " UTF-8 bytes are allowed");
    }
    if (onlyDotsAndSpaces(name)) {
      throw bad("the name \"" + echo(name) + "\" consists only of dots and spaces");
    }
    if (name.toLowerCase(Locale.ROOT).endsWith(PARTIAL_SUFFIX)) {
      throw bad("names ending in " + PARTIAL_SUFFIX + " are reserved for partial uploads");
    }
  }

  /** Only called after the character checks, so the echo holds nothing that could mangle a terminal. */
  private static String echo(String name) {
    if (name.length() <= MAX_ECHO_CHARS) return name;
    int end = MAX_ECHO_CHARS;
    if (Character.isHighSurrogate(name.charAt(end - 1))) end--;
    return name.substring(0, end) + "…";
  }

  private static Refused bad(String message) {
    return new Refused(Refusal.BAD_PATH, message);
  }
}
