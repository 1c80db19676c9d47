package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The FTP door's cache of checked passwords: an entry lasts its age and matches only its own user and key. */
class PasswordCacheEdgesTest {
  private final AtomicLong clock = new AtomicLong(5_000_000_000_000L); // far from zero
  private final PasswordCache cache = new PasswordCache(clock::get);

  private static ScramCredentials keyed(int first) {
    byte[] stored = new byte[32];
    stored[0] = (byte) first;
    Arrays.fill(stored, 1, 32, (byte) 'x');
    return new ScramCredentials(new byte[16], ScramCredentials.MIN_ITERATIONS, stored, new byte[32]);
  }

  @Test
  void anEntryIsKnownWithinItsAgeAndForgottenAfter() {
    ScramCredentials key = keyed('k');
    cache.remember("bob", "pw".toCharArray(), key);
    clock.addAndGet(PasswordCache.MAX_AGE_NANOS / 2);
    assertTrue(cache.knows("bob", "pw".toCharArray(), key));
    clock.addAndGet(PasswordCache.MAX_AGE_NANOS);
    assertFalse(cache.knows("bob", "pw".toCharArray(), key));
  }

  @Test
  void bytesShiftedFromTheUserNameIntoTheKeyAndPasswordDoNotMatch() {
    // "a" + key(b, x...) + NUL + NUL + "pw" against "ab" + key(x..., NUL) + NUL + "pw": the same bytes
    // run together, told apart only by where each field ends.
    byte[] shifted = new byte[32];
    Arrays.fill(shifted, 0, 31, (byte) 'x');
    shifted[31] = 0;
    ScramCredentials first = keyed('b');
    ScramCredentials second = new ScramCredentials(new byte[16], ScramCredentials.MIN_ITERATIONS, shifted,
        new byte[32]);
    cache.remember("a", "\0pw".toCharArray(), first);
    assertFalse(cache.knows("ab", "pw".toCharArray(), second));
    assertTrue(cache.knows("a", "\0pw".toCharArray(), first));
  }
}
