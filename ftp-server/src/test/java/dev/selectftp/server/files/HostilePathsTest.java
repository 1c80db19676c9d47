package dev.selectftp.server.files;

import static dev.selectftp.server.protocol.selectftp.ListingFrames.PAGE;

import dev.selectftp.server.storage.VirtualPath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Hostile paths from hostile-paths.txt")
class HostilePathsTest {
  private static final Set<Refusal> ACCEPTABLE_REFUSALS =
      Set.of(Refusal.BAD_PATH, Refusal.FORBIDDEN, Refusal.NOT_FOUND);
  private static final Pattern ESCAPE = Pattern.compile("\\\\u([0-9A-Fa-f]{4})");

  /** One line of the data file. */
  record HostilePath(int line, String raw, String path, boolean inside) {
    @Override
    public String toString() {
      String shown = raw.length() > 40 ? raw.substring(0, 40) + "…(" + raw.length() + " chars)" : raw;
      return "line " + line + " [" + shown + "]" + (inside ? " resolves inside" : " is refused");
    }
  }

  static List<HostilePath> hostilePaths() throws IOException {
    List<HostilePath> out = new ArrayList<>();
    try (InputStream in = HostilePathsTest.class.getResourceAsStream("/hostile-paths.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      boolean inside = false;
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.equals("# @inside")) inside = true;
        if (line.equals("# @refused")) inside = false;
        if (line.isEmpty() || line.startsWith("#")) continue;
        out.add(new HostilePath(n, line, line.equals("<empty>") ? "" : decode(line), inside));
      }
    }
    return out;
  }

  static String decode(String line) {
    Matcher m = ESCAPE.matcher(line);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
    }
    return m.appendTail(sb).toString();
  }

  @Test
  void theDataFileCoversEveryKindOfAttack() throws IOException {
    List<HostilePath> all = hostilePaths();
    assertTrue(all.size() > 80, "expected a rich data file, got " + all.size());
    assertTrue(all.stream().anyMatch(h -> h.path().indexOf('\u0000') >= 0), "NUL");
    assertTrue(all.stream().anyMatch(h -> h.path().isEmpty()), "empty path");
    assertTrue(all.stream().anyMatch(h -> h.path().length() > VirtualPath.MAX_PATH_CHARS), "over-long path");
    assertTrue(all.stream().anyMatch(h -> h.path().equals("\u20AC".repeat(86))), "86 x 3-byte chars");
    assertTrue(all.stream().anyMatch(h -> h.path().equals("/etc/passwd") && h.inside()), "/etc/passwd inside");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostilePaths")
  void virtualPathRefusesItOrKeepsItUnderTheHome(HostilePath h) throws Exception {
    if (!h.inside()) {
      Refused e = assertThrows(Refused.class, () -> VirtualPath.resolve("/", h.path()));
      assertEquals(Refusal.BAD_PATH, e.code(), e.getMessage());
      assertFalse(e.getMessage().isBlank());
      return;
    }
    String v = VirtualPath.resolve("/", h.path());
    assertTrue(v.startsWith("/"), v);
    assertFalse(List.of(v.split("/")).contains(".."), v);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostilePaths")
  void everyHomeOperationRefusesItOrStaysInsideAndNothingOutsideChanges(HostilePath h, @TempDir Path data)
      throws Exception {
    TestTree t = new TestTree(data);
    Home home = t.home;
    Map<String, String> before = t.outsideSnapshot();
    String p = h.path();

    check(h, "toReal", () -> assertInside(t, home.toReal(p)));
    check(h, "stat", () -> assertInside(t, home.stat(p).real()));
    check(h, "list", () -> home.list("/", p, null, PAGE));
    // cd clamps '..' at '/' like a chroot, so a climbing path may be "not found" or even succeed inside.
    check(h, "cd", () -> assertInside(t, home.toReal(home.changeDir("/", p))));
    check(h, "mkdir", () -> home.makeDir("/", p));
    check(h, "delete", () -> home.delete("/", p));
    check(h, "rename from", () -> home.rename("/", p, "/moved"));
    check(h, "rename to", () -> home.rename("/", "victim.txt", p));

    assertEquals(before, t.outsideSnapshot(), "something outside the home changed");
    assertTrue(Files.isDirectory(t.homeDir), "the home itself survived");
    if (!h.inside()) {
      assertTrue(Files.exists(t.homeDir.resolve("victim.txt")), "a refused rename moved nothing");
    }
  }

  private interface Op {
    void run() throws Exception;
  }

  private static void check(HostilePath h, String op, Op body) throws Exception {
    try {
      body.run();
    } catch (Refused e) {
      assertTrue(ACCEPTABLE_REFUSALS.contains(e.code()), op + " answered " + e.code() + ": " + e.getMessage());
      if (!h.inside() && !op.equals("cd")) assertEquals(Refusal.BAD_PATH, e.code(), op + ": " + e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      fail(op + " threw " + e);
    }
  }

  private static void assertInside(TestTree t, Path real) {
    assertTrue(real.normalize().startsWith(t.home.root()), real + " is outside " + t.home.root());
  }
}
