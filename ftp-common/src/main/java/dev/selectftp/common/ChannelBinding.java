package dev.selectftp.common;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;

/**
 * The {@code tls-server-end-point} channel binding of RFC 5929: a hash of the server's certificate, the
 * same on both ends of one TLS connection and different behind a relay that presents another certificate.
 */
public final class ChannelBinding {
  /** The binding's name in a SCRAM gs2 header ({@code p=tls-server-end-point}). */
  public static final String TLS_SERVER_END_POINT = "tls-server-end-point";

  private ChannelBinding() {}

  /**
   * The certificate's DER hashed with its signature's hash function, or with SHA-256 when that is MD5 or
   * SHA-1 (RFC 5929 section 4.1).
   *
   * @throws IllegalArgumentException for a signature without a hash function of its own (Ed25519, Ed448),
   *     for which RFC 5929 defines no binding
   */
  public static byte[] tlsServerEndPoint(X509Certificate certificate) {
    try {
      return MessageDigest.getInstance(hashOf(certificate)).digest(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("no hash for the certificate's signature", e);
    }
  }

  static String hashOf(X509Certificate certificate) throws GeneralSecurityException {
    String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
    String hash;
    if (algorithm.equals("RSASSA-PSS")) {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
      try {
        parameters.init(certificate.getSigAlgParams());
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException("unreadable RSASSA-PSS parameters", e);
      }
      hash = parameters.getParameterSpec(PSSParameterSpec.class).getDigestAlgorithm().toUpperCase(Locale.ROOT);
    } else {
      int with = algorithm.indexOf("WITH");
      if (with <= 0) throw new GeneralSecurityException("signature " + algorithm + " names no hash");
      hash = algorithm.substring(0, with);
    }
    hash = hash.replace("-", "");
    return switch (hash) {
      case "MD5", "SHA1", "SHA256" -> "SHA-256";
      case "SHA384" -> "SHA-384";
      case "SHA512" -> "SHA-512";
      case "SHA224" -> "SHA-224";
      default -> throw new GeneralSecurityException("unsupported hash " + hash);
    };
  }
}
