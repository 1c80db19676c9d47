package dev.selectftp.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

class VirtualPathPropertyTest {

  /**
   * Over an alphabet mixing names, dots, slashes and forbidden characters, the resolver refuses exactly the
   * paths an independent oracle says it must (empty, a forbidden character, a name of only dots, a climb above
   * {@code /}) with {@link Refusal#BAD_PATH}, and otherwise returns the oracle's normalized path. A resolver
   * that refused everything, let a backslash or NUL through, or normalised wrongly fails here.
   */
  @Property(tries = 2000)
  void resolveRefusesExactlyTheBadPathsAndOtherwiseReturnsTheNormalizedPath(
      @ForAll @Chars({'a', '.', '/', '\\', '\u0000', '\u00e9', '\uFF0F'}) @StringLength(max = 40) String path,
      @ForAll @Chars({'a', '.', '/'}) @StringLength(max = 10) String relativeCwd) {
    String cwd;
    try {
      cwd = VirtualPath.resolve("/", "/" + relativeCwd);
    } catch (Refused e) {
      cwd = "/";
    }
    String expected = oracle(cwd, path);
    try {
      String v = VirtualPath.resolve(cwd, path);
      assertEquals(expected, v, "accepted \"" + path + "\" from " + cwd);
      assertTrue(v.startsWith("/"), v);
      assertFalse(List.of(v.split("/")).contains(".."), v);
      assertFalse(v.contains("\\") || v.contains("\u0000") || v.contains("\uFF0F"), v);
      assertTrue(v.equals("/") || !v.endsWith("/"), v);
    } catch (Refused e) {
      assertNull(expected, "refused \"" + path + "\" from " + cwd + ": " + e.getMessage());
      assertEquals(Refusal.BAD_PATH, e.code());
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
  }

  /** The first property's oracle, written from the documented rules; null where a refusal is due. */
  private static String oracle(String cwd, String path) {
    if (path.isEmpty()) return null;
    if (path.indexOf('\\') >= 0 || path.indexOf('\u0000') >= 0 || path.indexOf('\uFF0F') >= 0) return null;
    List<String> segments = List.of(path.split("/"));
    for (String s : segments) {
      if (s.length() > 2 && s.chars().allMatch(c -> c == '.')) return null;
    }
    List<String> kept = segments.stream().filter(s -> !s.isEmpty()).toList();
    return model(path.startsWith("/") ? List.of() : VirtualPath.names(cwd), kept);
  }

  /**
   * Paths made of ordinary names, {@code .} and {@code ..} resolve exactly as a plain stack would: accepted
   * and equal to the model unless they climb above {@code /}, which alone is refused. A resolver that
   * refused everything, or normalised wrongly, fails here (the property above accepts any refusal).
   */
  @Property(tries = 2000)
  void ordinaryPathsResolveAsAStackAndOnlyClimbingAboveRootIsRefused(
      @ForAll("segments") List<String> cwdSegments, @ForAll("segments") List<String> pathSegments,
      @ForAll boolean absolute) throws Refused {
    String cwd = model(List.of(), cwdSegments.stream().filter(s -> !s.equals("..")).toList());
    String path = (absolute ? "/" : "") + String.join("/", pathSegments);
    if (path.isEmpty()) path = ".";
    String expected = model(absolute ? List.of() : VirtualPath.names(cwd), pathSegments);
    String p = path;
    if (expected == null) {
      assertThrows(Refused.class, () -> VirtualPath.resolve(cwd, p), path);
    } else {
      assertEquals(expected, VirtualPath.resolve(cwd, path), path);
    }
  }

  @Provide
  Arbitrary<List<String>> segments() {
    return Arbitraries.of("a", "b", "photos", "\u00e9t\u00e9", ".", "..", "x.txt").list().ofMaxSize(8);
  }

  /** The reference: a stack of names; null when a {@code ..} would climb above the root. */
  private static String model(List<String> start, List<String> segments) {
    Deque<String> stack = new ArrayDeque<>(start);
    for (String s : segments) {
      if (s.equals(".")) continue;
      if (s.equals("..")) {
        if (stack.isEmpty()) return null;
        stack.removeLast();
      } else {
        stack.addLast(s);
      }
    }
    return "/" + String.join("/", stack);
  }
}
