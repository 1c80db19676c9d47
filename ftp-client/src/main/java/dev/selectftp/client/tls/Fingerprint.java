package dev.selectftp.client.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate's SHA-256 fingerprint (of its DER encoding), written {@code SHA256:AB:CD:...} in the
 * known-servers file and to the user: the hex is the one the server prints at start and
 * {@code openssl x509 -noout -fingerprint -sha256} prints, so the two can be compared by eye. Read back from hex (with or without colons, either case, as
 * {@code openssl x509 -fingerprint -sha256} prints it) or from base64 (as ssh prints key fingerprints).
 */
public record Fingerprint(byte[] sha256) {
  public static final String PREFIX = "SHA256:";
  private static final int BYTES = 32;

  public Fingerprint {
    if (sha256.length != BYTES) throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes");
    sha256 = sha256.clone();
  }

  public static Fingerprint of(X509Certificate certificate) throws CertificateEncodingException {
    try {
      return new Fingerprint(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** Parses {@code SHA256:<hex or base64>}; null when {@code text} is not one. */
  public static Fingerprint parse(String text) {
    if (!text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) return null;
    String value = text.substring(PREFIX.length());
    String hex = value.replace(":", "");
    try {
      if (hex.length() == 2 * BYTES && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return new Fingerprint(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
      }
      byte[] bytes = Base64.getDecoder().decode(value);
      return bytes.length == BYTES ? new Fingerprint(bytes) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public boolean matches(Fingerprint other) {
    return MessageDigest.isEqual(sha256, other.sha256);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fingerprint f && matches(f);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return PREFIX + HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256);
  }
}
