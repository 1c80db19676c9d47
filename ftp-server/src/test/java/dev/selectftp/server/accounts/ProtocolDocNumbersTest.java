package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 7: the numbers docs/PROTOCOL.md gives a client writer are the code's. Each check formats the
 * constant itself, so changing one without the document fails here. (In the accounts package for
 * {@link TrustedPairs#TTL}.)
 */
class ProtocolDocNumbersTest {
  private static String doc;

  @BeforeAll
  static void read() throws IOException {
    Path at = Path.of("").toAbsolutePath();
    while (at != null && !Files.exists(at.resolve("docs/PROTOCOL.md"))) at = at.getParent();
    assertNotNull(at, "docs/PROTOCOL.md above " + Path.of("").toAbsolutePath());
    doc = Files.readString(at.resolve("docs/PROTOCOL.md"), StandardCharsets.UTF_8);
  }

  private static void says(String text) {
    assertTrue(doc.contains(text), "docs/PROTOCOL.md should say: " + text);
  }

  @Test
  void loginThrottleNumbersAreTheThrottles() {
    says("**" + LoginThrottle.BASE_DELAY.toMillis() + " ms**");
    says("capped at **" + LoginThrottle.MAX_DELAY.toSeconds() + " s**");
    says("sliding **" + LoginThrottle.WINDOW.toMinutes() + "-minute** window");
    says("The **" + LoginThrottle.USER_LOCKOUT_FAILURES + "th** failure of a user name within "
        + LoginThrottle.WINDOW.toMinutes() + " minutes");
    says("locks that name for **" + LoginThrottle.LOCKOUT.toMinutes() + " minutes**");
    says("after **" + LoginThrottle.ADDRESS_SLOWDOWN_FAILURES + "** failures in the window");
    says("each of its failures waits " + LoginThrottle.MAX_DELAY.toSeconds() + " s");
    says("at most **" + LoginThrottle.MAX_LOGINS_IN_FLIGHT + "** of its logins run at once");
    says("frees itself after " + LoginThrottle.LOGIN_SLOT_TTL.toSeconds() + " s");
    says("in the last **" + TrustedPairs.TTL.toDays() + " days**");
  }

  @Test
  void pathLimitsAndPartialAgeAreTheCodes() {
    says("at most **" + VirtualPath.MAX_PATH_CHARS + " characters**");
    says("names longer than " + VirtualPath.MAX_NAME_BYTES + " UTF-8 bytes");
    says("`--partial-max-age` (default `" + ServerConfig.DEFAULT_PARTIAL_MAX_AGE.toDays() + "d`");
    assertTrue(Request.MAX_PATH_CHARS == VirtualPath.MAX_PATH_CHARS,
        "the wire codec and the server refuse paths at the same length");
  }
}
