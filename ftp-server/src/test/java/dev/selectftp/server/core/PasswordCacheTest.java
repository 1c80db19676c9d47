package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PasswordCacheTest {
  private final AtomicLong now = new AtomicLong();
  private final PasswordCache cache = new PasswordCache(now::get);
  private final ScramCredentials bob = credentials(1);

  /** Credentials for "secret" under salt number {@code n}: another salt is another account's keys. */
  private static ScramCredentials credentials(int n) {
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    salt[0] = (byte) n;
    return ScramCredentials.derive("secret".toCharArray(), salt, ScramCredentials.MIN_ITERATIONS);
  }

  @Test
  void aRememberedPasswordIsKnownForTheSameUserAndCredentialsOnly() {
    assertFalse(cache.knows("bob", "secret".toCharArray(), bob), "nothing is known before a success");
    cache.remember("bob", "secret".toCharArray(), bob);
    assertTrue(cache.knows("bob", "secret".toCharArray(), bob));
    assertFalse(cache.knows("bob", "Secret".toCharArray(), bob), "another password");
    assertFalse(cache.knows("alice", "secret".toCharArray(), bob), "another user");
    ScramCredentials changed = credentials(2);
    assertFalse(cache.knows("bob", "secret".toCharArray(), changed),
        "new credentials (a password change, a new account under the name) miss");
  }

  @Test
  void anEntryExpiresAfterTheMaximumAge() {
    cache.remember("bob", "secret".toCharArray(), bob);
    now.addAndGet(PasswordCache.MAX_AGE_NANOS);
    assertTrue(cache.knows("bob", "secret".toCharArray(), bob), "still fresh at the limit");
    now.addAndGet(1);
    assertFalse(cache.knows("bob", "secret".toCharArray(), bob));
    assertEquals(0, cache.size(), "an expired entry is dropped when met");
  }

  @Test
  void theCacheHoldsAtMostItsMaximumEntries() {
    for (int i = 0; i <= PasswordCache.MAX_ENTRIES; i++) {
      cache.remember("user" + i, "secret".toCharArray(), bob);
    }
    assertEquals(PasswordCache.MAX_ENTRIES, cache.size());
    assertFalse(cache.knows("user0", "secret".toCharArray(), bob), "the least recently used went first");
    assertTrue(cache.knows("user" + PasswordCache.MAX_ENTRIES, "secret".toCharArray(), bob));
  }
}
