package dev.selectftp.server.files;

import dev.selectftp.server.storage.VirtualPath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Partials#partialName} gives every name a user may have its own partial: injective over long,
 * look-alike, unicode and crafted names, never over 255 UTF-8 bytes, at most
 * {@link Partials#MAX_EXTRA_BYTES} longer than the name, and never a name a user could address.
 */
class PartialsPropertyTest {

  /** The partial, or empty when the name is one no user can have (refused by both VirtualPath and Partials). */
  private static Optional<String> partialOf(String name) {
    if (!VirtualPath.isAcceptableName(name)) {
      // Names a user cannot have may still reach partialName only through a bug: it must refuse the
      // dangerous ones (the suffix, no UTF-8 form, too long, separators), and is free to map the rest.
      if (endsWithSuffix(name) || !roundTrips(name) || utf8(name) > VirtualPath.MAX_NAME_BYTES
          || name.contains("/") || name.isEmpty()) {
        assertThrows(IllegalArgumentException.class, () -> Partials.partialName(name), name);
      }
      return Optional.empty();
    }
    return Optional.of(Partials.partialName(name));
  }

  @Property(tries = 200)
  void everyNameGetsItsOwnPartialThatFitsAndIsNoUsersName(@ForAll("nameLists") List<String> names) {
    Map<String, String> owner = new HashMap<>();
    for (String name : names) {
      Optional<String> p = partialOf(name);
      if (p.isEmpty()) continue;
      String partial = p.get();
      assertTrue(utf8(partial) <= VirtualPath.MAX_NAME_BYTES, () -> partial + " is " + utf8(partial) + " bytes");
      assertTrue(utf8(partial) - utf8(name) <= Partials.MAX_EXTRA_BYTES, name);
      assertTrue(Partials.isPartial(Path.of(partial)), partial);
      assertFalse(VirtualPath.isAcceptableName(partial), "a user could address " + partial);
      assertEquals(partial, Partials.partialName(name), "deterministic, so resumable");
      String before = owner.putIfAbsent(partial, name);
      assertTrue(before == null || before.equals(name), () -> before + " and " + name + " share " + partial);
    }
  }

  @Property(tries = 200)
  void aNameCraftedFromAnotherNamesHashedPartialNeverSharesIt(@ForAll("longNames") String longName) {
    String partial = Partials.partialName(longName);
    // The old attack: a short name equal to the long name's shortened partial without dot and suffix.
    String crafted = partial.substring(1, partial.length() - Partials.SUFFIX.length());
    partialOf(crafted).ifPresent(p -> assertNotEquals(partial, p, crafted));
    String craftedTwice = partial.substring(1, partial.length() - Partials.HASHED_SUFFIX.length());
    partialOf(craftedTwice).ifPresent(p -> assertNotEquals(partial, p, craftedTwice));
    // And the pair that broke the single-suffix scheme (206-byte prefix, "~", 32 hex) maps apart too.
    String oldCrafted = oldShortenedStem(longName);
    partialOf(oldCrafted).ifPresent(p -> assertNotEquals(partial, p, oldCrafted));
  }

  @Example
  void thePairThatSharedAPartialBeforeNowHasTwo() {
    String longName = "b".repeat(250);
    String crafted = oldShortenedStem(longName);
    assertTrue(VirtualPath.isAcceptableName(crafted));
    assertNotEquals(Partials.partialName(longName), Partials.partialName(crafted));
    assertEquals("." + crafted + Partials.SUFFIX, Partials.partialName(crafted), "short names stay readable");
  }

  @Example
  void namesEndingInTheSuffixAreRefusedInAnyCase() {
    assertThrows(IllegalArgumentException.class, () -> Partials.partialName("x.selectftp-part"));
    assertThrows(IllegalArgumentException.class, () -> Partials.partialName("x.SelectFTP-Part"));
    assertThrows(IllegalArgumentException.class, () -> Partials.partialName("\uD800"));
  }

  /** The stem of the former shortened form: "." + stem + suffix was the partial of the long name. */
  private static String oldShortenedStem(String name) {
    int prefixBytes = VirtualPath.MAX_NAME_BYTES - 2 - 32 - Partials.SUFFIX.length();
    StringBuilder prefix = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      int len = utf8(new String(Character.toChars(cp)));
      if (bytes + len > prefixBytes) break;
      prefix.appendCodePoint(cp);
      bytes += len;
      i += Character.charCount(cp);
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return prefix + "~" + HexFormat.of().formatHex(d).substring(0, 32);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Names of every kind, each long one followed by the names an attacker would craft from its partial. */
  @Provide
  Arbitrary<List<String>> nameLists() {
    return names().list().ofMinSize(1).ofMaxSize(30).map(PartialsPropertyTest::withCrafted);
  }

  private static List<String> withCrafted(List<String> names) {
    List<String> all = new java.util.ArrayList<>(names);
    for (String n : names) {
      if (!VirtualPath.isAcceptableName(n) || 1 + utf8(n) + Partials.SUFFIX.length() <= VirtualPath.MAX_NAME_BYTES) {
        continue;
      }
      String p = Partials.partialName(n);
      all.add(p.substring(1, p.length() - Partials.SUFFIX.length()));
      all.add(p.substring(1, p.length() - Partials.HASHED_SUFFIX.length()));
      all.add(p.substring(1));
      all.add(oldShortenedStem(n));
    }
    return all;
  }

  @Provide
  Arbitrary<String> longNames() {
    Arbitrary<String> ascii = Arbitraries.strings().withCharRange('a', 'z').withChars('~', '.', ' ', '-')
        .ofMinLength(230).ofMaxLength(255);
    Arbitrary<String> unicode = Arbitraries.strings().withChars("é漢字😀~ab.").ofMinLength(60).ofMaxLength(120);
    return Arbitraries.oneOf(ascii, unicode).filter(n -> utf8(n) <= VirtualPath.MAX_NAME_BYTES
        && 1 + utf8(n) + Partials.SUFFIX.length() > VirtualPath.MAX_NAME_BYTES && VirtualPath.isAcceptableName(n));
  }

  private Arbitrary<String> names() {
    Arbitrary<String> shortAscii = Arbitraries.strings().withCharRange('a', 'c').withChars('~', '.')
        .ofMinLength(1).ofMaxLength(6);
    Arbitrary<String> nearLimit = Arbitraries.strings().withChars("ab~").ofMinLength(236).ofMaxLength(256);
    Arbitrary<String> unicode = Arbitraries.strings().withChars("é漢😀~aA\u0301").ofMinLength(1).ofMaxLength(90);
    Arbitrary<String> lookAlike = Arbitraries.of("a.selectftp-part", ".a.selectftp-part", "a.selectftp-part.x",
        "a.SELECTFTP-PART", "a.selectftp-par", "a.selectftp-partt", "a\u2024selectftp-part", "~", "a~b");
    Arbitrary<String> anything = Arbitraries.strings().ofMinLength(0).ofMaxLength(300);
    return Arbitraries.oneOf(shortAscii, nearLimit, unicode, lookAlike, anything, longNames());
  }

  private static boolean endsWithSuffix(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).endsWith(Partials.SUFFIX);
  }

  private static boolean roundTrips(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
