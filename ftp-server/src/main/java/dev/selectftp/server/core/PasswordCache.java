package dev.selectftp.server.core;

import dev.selectftp.common.ScramCredentials;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Plain-text passwords (FTP's PASS) verified recently, so that a script's hundred logins cost one PBKDF2 run
 * rather than a hundred (as SFTPGo's password caching). Nothing here can give a password back: an entry is an
 * HMAC, under a key made at start and never stored, of the user, the account's StoredKey and the password, so
 * a changed password or a new account under the name misses, and a memory dump yields no offline-guessable
 * hash without the key. Only successes are remembered; a failure always pays its PBKDF2 and the throttle's
 * delay. Bounded in entries and age. Thread-safe (checks run on helper threads).
 */
public final class PasswordCache {
  /** Entries kept at most; the least recently used goes first. */
  public static final int MAX_ENTRIES = 4096;
  /** How long a verified password is taken without PBKDF2. */
  public static final long MAX_AGE_NANOS = 15L * 60 * 1_000_000_000L;
  private static final int KEY_BYTES = 32;

  private final SecretKeySpec key;
  private final LongSupplier nanos;
  private final Map<String, Long> verifiedAt = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  public PasswordCache(LongSupplier nanos) {
    byte[] secret = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.nanos = nanos;
  }

  /** True when this password for these stored credentials was verified within {@link #MAX_AGE_NANOS}. */
  public boolean knows(String user, char[] password, ScramCredentials stored) {
    String entry = entry(user, password, stored);
    long now = nanos.getAsLong();
    synchronized (verifiedAt) {
      Long at = verifiedAt.get(entry);
      if (at == null) return false;
      if (now - at > MAX_AGE_NANOS) {
        verifiedAt.remove(entry);
        return false;
      }
      return true;
    }
  }

  /** Remembers a password just verified by PBKDF2. */
  public void remember(String user, char[] password, ScramCredentials stored) {
    String entry = entry(user, password, stored);
    long now = nanos.getAsLong();
    synchronized (verifiedAt) {
      verifiedAt.put(entry, now);
    }
  }

  /** Entries held now, for tests and the heap bound. */
  public int size() {
    synchronized (verifiedAt) {
      return verifiedAt.size();
    }
  }

  private String entry(String user, char[] password, ScramCredentials stored) {
    ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] secret = new byte[utf8.remaining()];
    utf8.get(secret);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(user.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(stored.storedKey());
      mac.update((byte) 0);
      mac.update(secret);
      return Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    } finally {
      Arrays.fill(secret, (byte) 0);
      if (utf8.hasArray()) Arrays.fill(utf8.array(), (byte) 0);
    }
  }
}
