package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.core.PasswordCache;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * FTP's PASS checked against the stored SCRAM keys (RFC 5802): StoredKey = SHA-256(HMAC(SaltedPassword,
 * "Client Key")), compared in constant time. Costs one PBKDF2 run: helper threads only, never the loop.
 */
final class PasswordCheck {
  private PasswordCheck() {}

  /**
   * True when {@code password} derives {@code stored}'s StoredKey, or did so recently for this user
   * ({@code cache}: no PBKDF2 then); clears {@code password} either way.
   */
  static boolean matches(String user, char[] password, ScramCredentials stored, PasswordCache cache) {
    try {
      if (cache.knows(user, password, stored)) return true;
      boolean ok = matches(password.clone(), stored);
      if (ok) cache.remember(user, password, stored);
      return ok;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** True when {@code password} derives {@code stored}'s StoredKey; clears {@code password} either way. */
  static boolean matches(char[] password, ScramCredentials stored) {
    byte[] salted = ScramCredentials.saltedPassword(password, stored.salt(), stored.iterations());
    Arrays.fill(password, '\0');
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(salted, "HmacSHA256"));
      byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.UTF_8));
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
      Arrays.fill(clientKey, (byte) 0);
      return MessageDigest.isEqual(storedKey, stored.storedKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 and SHA-256 are required of every JDK", e);
    } finally {
      Arrays.fill(salted, (byte) 0);
    }
  }
}
