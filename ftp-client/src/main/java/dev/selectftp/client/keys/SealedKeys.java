package dev.selectftp.client.keys;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.common.ScramKeys;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One cache entry's ClientKey and ServerKey, encrypted with AES-256-GCM under a key derived from the typed
 * password by a cheap PBKDF2 ({@link #KDF_ITERATIONS}, a random salt per entry). A wrong password fails the
 * GCM tag, so it can never log in through the cache; the entry's identity (server, user, SCRAM salt and
 * iterations) is the associated data, so an entry moved to another line fails too.
 */
record SealedKeys(int kdfIterations, byte[] kdfSalt, byte[] nonce, byte[] box) {
  /**
   * PBKDF2 iterations of the sealing key: a few milliseconds, against the server's 600,000. An attacker who
   * copies the file tests guesses at this cost per guess (docs/SECURITY.md, "Client key cache").
   */
  static final int KDF_ITERATIONS = 10_000;
  /** Fewer than this in a file is not trusted (RFC 7677's floor for SCRAM). */
  static final int MIN_KDF_ITERATIONS = ScramCredentials.MIN_ITERATIONS;
  static final int MAX_KDF_ITERATIONS = 1_000_000;
  static final int KDF_SALT_BYTES = 16;
  static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String CIPHER = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  SealedKeys {
    kdfSalt = kdfSalt.clone();
    nonce = nonce.clone();
    box = box.clone();
  }

  /** Encrypts {@code keys} under {@code password}, binding {@code identity}. */
  static SealedKeys seal(char[] password, ScramKeys keys, byte[] identity) {
    byte[] kdfSalt = random(KDF_SALT_BYTES);
    byte[] nonce = random(NONCE_BYTES);
    byte[] plain = new byte[2 * ScramCredentials.KEY_BYTES];
    byte[] clientKey = keys.clientKey();
    byte[] serverKey = keys.serverKey();
    System.arraycopy(clientKey, 0, plain, 0, clientKey.length);
    System.arraycopy(serverKey, 0, plain, clientKey.length, serverKey.length);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, password, KDF_ITERATIONS, kdfSalt, nonce, identity);
      return new SealedKeys(KDF_ITERATIONS, kdfSalt, nonce, cipher.doFinal(plain));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required of every JDK", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
      Arrays.fill(clientKey, (byte) 0);
      Arrays.fill(serverKey, (byte) 0);
    }
  }

  /** The keys, or null when {@code password} (or {@code identity}) is not the one they were sealed with. */
  ScramKeys open(char[] password, byte[] identity) {
    if (kdfIterations < MIN_KDF_ITERATIONS || kdfIterations > MAX_KDF_ITERATIONS) return null;
    byte[] plain = null;
    try {
      plain = cipher(Cipher.DECRYPT_MODE, password, kdfIterations, kdfSalt, nonce, identity).doFinal(box);
      if (plain.length != 2 * ScramCredentials.KEY_BYTES) return null;
      return new ScramKeys(Arrays.copyOfRange(plain, 0, ScramCredentials.KEY_BYTES),
          Arrays.copyOfRange(plain, ScramCredentials.KEY_BYTES, plain.length));
    } catch (AEADBadTagException e) {
      return null; // another password: the caller derives the keys the long way
    } catch (GeneralSecurityException e) {
      return null; // a damaged entry (a nonce of the wrong length, say) is no entry
    } finally {
      if (plain != null) Arrays.fill(plain, (byte) 0);
    }
  }

  private static Cipher cipher(int mode, char[] password, int iterations, byte[] kdfSalt, byte[] nonce,
      byte[] identity) throws GeneralSecurityException {
    byte[] key = ScramCredentials.saltedPassword(password, kdfSalt, iterations);
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(identity);
      return cipher;
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] random(int bytes) {
    byte[] out = new byte[bytes];
    RANDOM.nextBytes(out);
    return out;
  }
}
