package dev.selectftp.server.tls;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Makes keys and X.509 certificates: the server's self-signed one, and, for tests anywhere in the project,
 * certificates that are wrong on purpose (expired, not yet valid, for another host name, signed by a test
 * CA). Main code rather than test code because production uses it and the client module's tests see only
 * this module's main jar. BouncyCastle builds the certificate; keys and signatures come from the JDK's own
 * providers, so BouncyCastle is never registered as a security provider.
 */
public final class Certificates {
  /** The curve of every key made here: P-256 is what every TLS client and Let's Encrypt's ECDSA chain use. */
  public static final String CURVE = "secp256r1";
  /** 16 random bytes: unpredictable (CA/Browser Forum asks 64 bits at least), well under RFC 5280's 20 octets. */
  private static final int SERIAL_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /** A new EC P-256 key pair. Costs about a millisecond: call it at start or in tests, never on the loop. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(CURVE), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
    }
  }

  /**
   * A self-signed server certificate (not a CA) for {@code names}: host names become DNS names and IP
   * literals IP addresses in the subject alternative name; the first name is also the subject's CN.
   */
  public static X509Certificate selfSigned(KeyPair keys, List<String> names, Instant notBefore, Instant notAfter) {
    X500Name subject = subject(names.get(0));
    return build(subject, keys.getPublic(), subject, keys.getPrivate(), null, names, notBefore, notAfter, false);
  }

  /** A CA certificate (self-signed, may sign leaves, no path length beyond them) for test chains. */
  public static X509Certificate certificateAuthority(KeyPair keys, String commonName, Instant notBefore,
      Instant notAfter) {
    X500Name subject = subject(commonName);
    return build(subject, keys.getPublic(), subject, keys.getPrivate(), null, List.of(), notBefore, notAfter, true);
  }

  /** A server certificate for {@code names} and {@code subjectKey}, signed by {@code ca} with {@code caKey}. */
  public static X509Certificate caSigned(X509Certificate ca, PrivateKey caKey, PublicKey subjectKey,
      List<String> names, Instant notBefore, Instant notAfter) {
    X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
    return build(subject(names.get(0)), subjectKey, issuer, caKey, ca.getPublicKey(), names, notBefore, notAfter,
        false);
  }

  /**
   * The certificate's SHA-256 fingerprint as {@code openssl x509 -noout -fingerprint -sha256} prints it after
   * the {@code =}: upper-case hex pairs joined by colons.
   */
  public static String fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot hash a certificate", e);
    }
  }

  /** Certificates as PEM blocks, in the order given (the leaf first for a chain file). */
  public static String toPem(List<X509Certificate> chain) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : chain) {
      try {
        pem.append(block("CERTIFICATE", certificate.getEncoded()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot encode a certificate", e);
      }
    }
    return pem.toString();
  }

  /** The key as an unencrypted PKCS#8 PEM block ({@code BEGIN PRIVATE KEY}), as openssl writes it. */
  public static String toPem(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static X500Name subject(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static X509Certificate build(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey signer,
      PublicKey issuerKey, List<String> names, Instant notBefore, Instant notAfter, boolean ca) {
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(SERIAL_BITS, RANDOM)
          .setBit(SERIAL_BITS - 1), Date.from(notBefore), Date.from(notAfter), subject, subjectKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
      if (issuerKey != null) {
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            extensions.createAuthorityKeyIdentifier(issuerKey));
      }
      if (ca) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
            .addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(signatureFor(signer)).build(signer)));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot build a certificate", e);
    }
  }

  private static GeneralNames alternativeNames(List<String> names) {
    List<GeneralName> list = new ArrayList<>();
    for (String name : names) {
      boolean ip = IPAddress.isValid(name);
      list.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
    }
    return new GeneralNames(list.toArray(GeneralName[]::new));
  }

  static String signatureFor(PrivateKey key) {
    return switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "EDDSA", "ED25519", "ED448" -> "EdDSA"; // the JDK's name for both curves; the key picks one
      default -> throw new IllegalArgumentException("no signature for " + key.getAlgorithm() + " keys");
    };
  }
}
