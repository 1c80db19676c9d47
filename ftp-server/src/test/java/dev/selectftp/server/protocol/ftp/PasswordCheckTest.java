package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.core.PasswordCache;
import org.junit.jupiter.api.Test;

class PasswordCheckTest {
  private final ScramCredentials stored = ScramCredentials.derive("123456".toCharArray(),
      new byte[ScramCredentials.SALT_BYTES], ScramCredentials.MIN_ITERATIONS);
  private final PasswordCache cache = new PasswordCache(System::nanoTime);

  @Test
  void aVerifiedPasswordIsRememberedAndAWrongOneIsNot() {
    assertFalse(PasswordCheck.matches("bob", "654321".toCharArray(), stored, cache));
    assertEquals(0, cache.size(), "a failure is never cached");
    assertTrue(PasswordCheck.matches("bob", "123456".toCharArray(), stored, cache));
    assertEquals(1, cache.size());
    assertTrue(cache.knows("bob", "123456".toCharArray(), stored), "the next login skips PBKDF2");
    assertTrue(PasswordCheck.matches("bob", "123456".toCharArray(), stored, cache));
  }

  @Test
  void thePasswordIsClearedAfterTheCheck() {
    char[] password = "123456".toCharArray();
    PasswordCheck.matches("bob", password, stored, cache);
    assertArrayEquals(new char[6], password);
  }
}
