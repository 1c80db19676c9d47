package dev.selectftp.server.files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ProtocolException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

class VirtualPathPropertyTest {

  @Property(tries = 2000)
  void resolveEitherRefusesOrReturnsAnAbsolutePathWithoutDotDot(
      @ForAll @Chars({'a', '.', '/', '\\', '\u0000', '\u00e9', '\uFF0F'}) @StringLength(max = 40) String path,
      @ForAll @Chars({'a', '.', '/'}) @StringLength(max = 10) String relativeCwd) {
    String cwd;
    try {
      cwd = VirtualPath.resolve("/", "/" + relativeCwd);
    } catch (ProtocolException e) {
      cwd = "/";
    }
    try {
      String v = VirtualPath.resolve(cwd, path);
      assertTrue(v.startsWith("/"), v);
      assertFalse(List.of(v.split("/")).contains(".."), v);
      assertFalse(v.contains("\\") || v.contains("\u0000") || v.contains("\uFF0F"), v);
      assertTrue(v.equals("/") || !v.endsWith("/"), v);
    } catch (ProtocolException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
  }
}
