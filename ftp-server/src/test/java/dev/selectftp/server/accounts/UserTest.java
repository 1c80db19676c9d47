package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import org.junit.jupiter.api.Test;

class UserTest {
  @Test
  void toStringNeverPrintsSaltOrKeys() {
    ScramCredentials c = TestSupport.credentials("secret");
    String text = new User("bob", c, 10, "2025-01-01T00:00:00Z").toString();
    assertTrue(text.contains("bob"));
    assertFalse(text.contains(c.saltBase64()));
    assertFalse(text.contains(c.storedKeyBase64()));
    assertFalse(text.contains(c.serverKeyBase64()));
  }

  @Test
  void negativeQuotaIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new User("bob", TestSupport.credentials("x"), -1, "2025-01-01T00:00:00Z"));
  }
}
