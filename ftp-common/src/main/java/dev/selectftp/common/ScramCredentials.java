package dev.selectftp.common;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the server keeps for one user under SCRAM-SHA-256 (RFC 5802, RFC 7677): never the password, only
 * salt, iteration count, StoredKey = H(ClientKey) and ServerKey.
 */
public record ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; the default for new accounts. */
  public static final int DEFAULT_ITERATIONS = 600_000;
  /** RFC 7677's floor; the server never accepts fewer. */
  public static final int MIN_ITERATIONS = 4096;
  public static final int SALT_BYTES = 16;
  public static final int KEY_BYTES = 32;

  public ScramCredentials {
    if (salt.length < SALT_BYTES / 2 || salt.length > 64) throw new IllegalArgumentException("bad salt length");
    if (storedKey.length != KEY_BYTES || serverKey.length != KEY_BYTES) {
      throw new IllegalArgumentException("keys must be " + KEY_BYTES + " bytes");
    }
    if (iterations < 1) throw new IllegalArgumentException("iterations must be positive");
    salt = salt.clone();
    storedKey = storedKey.clone();
    serverKey = serverKey.clone();
  }

  /** Derives the credentials for {@code password}; costs one PBKDF2 run of {@code iterations}. */
  public static ScramCredentials derive(char[] password, byte[] salt, int iterations) {
    ScramKeys keys = ScramKeys.derive(password, salt, iterations);
    byte[] clientKey = keys.clientKey();
    try {
      return new ScramCredentials(salt, iterations, sha256(clientKey), keys.serverKey());
    } finally {
      Arrays.fill(clientKey, (byte) 0);
    }
  }

  /** Hi() of RFC 5802: PBKDF2-HMAC-SHA256 over the normalized password's UTF-8 bytes. */
  public static byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
    // SASLprep is approximated by NFKC, which it is built on; see docs/PROTOCOL.md.
    char[] normalized = Normalizer.normalize(java.nio.CharBuffer.wrap(password), Normalizer.Form.NFKC)
        .toCharArray();
    PBEKeySpec spec = new PBEKeySpec(normalized, salt, iterations, KEY_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is required of every JDK", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(normalized, '\0');
    }
  }

  static byte[] hmac(byte[] key, String data) {
    return hmac(key, data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = MAC.get();
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }

  static byte[] sha256(byte[] data) {
    return SHA256.get().digest(data);
  }

  /*
   * One instance per thread: getInstance walks the provider list and allocates on every call, which showed
   * as a fifth of the event loop's allocation during a login storm. Both are reset by init/digest.
   */
  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  });
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  });

  public String saltBase64() {
    return Base64.getEncoder().encodeToString(salt);
  }

  public String storedKeyBase64() {
    return Base64.getEncoder().encodeToString(storedKey);
  }

  public String serverKeyBase64() {
    return Base64.getEncoder().encodeToString(serverKey);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] storedKey() {
    return storedKey.clone();
  }

  @Override
  public byte[] serverKey() {
    return serverKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScramCredentials c && iterations == c.iterations && Arrays.equals(salt, c.salt)
        && MessageDigest.isEqual(storedKey, c.storedKey) && MessageDigest.isEqual(serverKey, c.serverKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(salt) * 31 + iterations;
  }

  /** Never prints key material. */
  @Override
  public String toString() {
    return "ScramCredentials[iterations=" + iterations + "]";
  }
}
