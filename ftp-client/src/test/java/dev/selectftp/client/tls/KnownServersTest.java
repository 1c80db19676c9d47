package dev.selectftp.client.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The known-servers file: how pins are read, matched, refused and appended. */
class KnownServersTest {
  @TempDir Path dir;
  private static final Fingerprint A = fingerprint(1);
  private static final Fingerprint B = fingerprint(2);

  private static Fingerprint fingerprint(int seed) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, (byte) seed);
    bytes[0] = (byte) 0xAB;
    return new Fingerprint(bytes);
  }

  @Test
  void fingerprintsReadAsLowerOrUpperHexWithOrWithoutColonsOrAsBase64() {
    String hex = HexFormat.of().formatHex(A.sha256());
    String colons = HexFormat.ofDelimiter(":").withUpperCase().formatHex(A.sha256());
    assertEquals(A, Fingerprint.parse("SHA256:" + hex));
    assertEquals(A, Fingerprint.parse("sha256:" + colons.toUpperCase(Locale.ROOT)));
    assertEquals(A, Fingerprint.parse("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(A.sha256())));
    assertEquals(A, Fingerprint.parse("SHA256:" + Base64.getEncoder().encodeToString(A.sha256())));
    assertNull(Fingerprint.parse("SHA256:abcd"));
    assertNull(Fingerprint.parse("MD5:" + hex));
    assertEquals("SHA256:" + colons, A.toString(), "written as the server and openssl print it");
  }

  @Test
  void firstUseAppendsOneLineAndCreatesTheFolder() throws Exception {
    KnownServers known = new KnownServers(dir.resolve("home/.selectftp/known_servers"));
    assertInstanceOf(KnownServers.Verdict.Pinned.class, known.check("host:2121", A, true));
    assertInstanceOf(KnownServers.Verdict.Known.class, known.check("host:2121", A, true));
    assertEquals(List.of("host:2121 " + A), Files.readAllLines(known.file()));
  }

  @Test
  void withoutPinningAnUnknownServerLeavesNoFileBehind() throws Exception {
    KnownServers known = new KnownServers(dir.resolve("known_servers"));
    assertInstanceOf(KnownServers.Verdict.Unknown.class, known.check("host:2121", A, false));
    assertFalse(Files.exists(known.file()));
  }

  @Test
  void anotherFingerprintForAKnownServerNamesItsFirstLine() throws Exception {
    Path file = Files.writeString(dir.resolve("known_servers"),
        "# comment host:2121\n\nother:2121 " + B + "\nhost:2121 garbage\nhost:2121 " + B + "\n");
    KnownServers known = new KnownServers(file);
    assertEquals(new KnownServers.Verdict.Changed(4), known.check("host:2121", A, true));
    assertInstanceOf(KnownServers.Verdict.Known.class, known.check("other:2121", B, true));
    assertInstanceOf(KnownServers.Verdict.Known.class, known.check("host:2121", B, true));
    assertEquals(5, Files.readAllLines(file).size(), "nothing appended");
  }

  @Test
  void aPinIsForOneHostAndPortAndIpv6IsBracketed() throws Exception {
    KnownServers known = new KnownServers(Files.writeString(dir.resolve("known_servers"), "host:2121 " + A));
    assertEquals("[::1]:2121", KnownServers.key("::1", 2121));
    assertInstanceOf(KnownServers.Verdict.Pinned.class, known.check("host:2122", B, true));
    assertEquals(List.of("host:2121 " + A, "host:2122 " + B), Files.readAllLines(known.file()),
        "a file without a final newline still gets a line of its own");
  }
}
