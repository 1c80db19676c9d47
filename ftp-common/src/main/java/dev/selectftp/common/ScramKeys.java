package dev.selectftp.common;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * ClientKey and ServerKey of one password under one salt and iteration count (RFC 5802 section 3): what
 * the client's PBKDF2 run buys. Whoever holds them can log in as the user without the password, so a client
 * that keeps them (the console's key cache) must guard them like the password.
 */
public record ScramKeys(byte[] clientKey, byte[] serverKey) {
  public ScramKeys {
    if (clientKey.length != ScramCredentials.KEY_BYTES || serverKey.length != ScramCredentials.KEY_BYTES) {
      throw new IllegalArgumentException("keys must be " + ScramCredentials.KEY_BYTES + " bytes");
    }
    clientKey = clientKey.clone();
    serverKey = serverKey.clone();
  }

  /** The keys of a salted password (the output of PBKDF2). */
  public static ScramKeys of(byte[] saltedPassword) {
    return new ScramKeys(ScramCredentials.hmac(saltedPassword, "Client Key"),
        ScramCredentials.hmac(saltedPassword, "Server Key"));
  }

  /** Derives the keys: one PBKDF2 run of {@code iterations}. */
  public static ScramKeys derive(char[] password, byte[] salt, int iterations) {
    byte[] salted = ScramCredentials.saltedPassword(password, salt, iterations);
    try {
      return of(salted);
    } finally {
      Arrays.fill(salted, (byte) 0);
    }
  }

  @Override
  public byte[] clientKey() {
    return clientKey.clone();
  }

  @Override
  public byte[] serverKey() {
    return serverKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScramKeys k && MessageDigest.isEqual(clientKey, k.clientKey)
        && MessageDigest.isEqual(serverKey, k.serverKey);
  }

  @Override
  public int hashCode() {
    return 0; // never a function of key material
  }

  /** Never prints key material. */
  @Override
  public String toString() {
    return "ScramKeys[]";
  }
}
