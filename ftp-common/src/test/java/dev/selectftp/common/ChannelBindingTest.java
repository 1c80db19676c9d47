package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * RFC 5929's tls-server-end-point over real certificates made with openssl (test resources); the expected
 * hashes are openssl's own ({@code openssl x509 -outform DER | openssl dgst -sha384}), not this code's.
 */
class ChannelBindingTest {
  private static X509Certificate certificate(String name) throws IOException, CertificateException {
    try (InputStream in = ChannelBindingTest.class.getResourceAsStream("/certs/" + name + ".pem")) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static String bindingOf(String name) throws Exception {
    return HexFormat.of().formatHex(ChannelBinding.tlsServerEndPoint(certificate(name)));
  }

  @Test
  void anRsaSha384CertificateIsHashedWithSha384() throws Exception {
    assertEquals("66afab82126f132e9d9be5a86e81a16e5113b2f51d4d0842dc1f90d4663652504237e7f9029f729169a947da72eecf32",
        bindingOf("rsa-sha384"));
  }

  @Test
  void anRsaSha1CertificateIsHashedWithSha256AsTheRfcSays() throws Exception {
    assertEquals("1521c1f45cce759ea8305889933910ac557ccf17a864a283d6e4909cea7719d1", bindingOf("rsa-sha1"));
  }

  @Test
  void anRsaPssCertificateIsHashedWithTheHashNamedInItsParameters() throws Exception {
    assertEquals("09a69bfabb95c3dab43d3c5ca5f98af274b5b1a78e6a6d7850f6f800f2386736"
        + "efd598a1ec2141bcab615f94a90ddef1221b9b8a7c09466583912320ea5fe198", bindingOf("pss-sha512"));
  }

  @Test
  void anEcdsaSha256CertificateIsHashedWithSha256() throws Exception {
    assertEquals("f6915a1c7b27f063ddab0515840366c2945a14f3ca48d9f81ea9fa86f8f70ed0", bindingOf("ec-sha256"));
  }

  @Test
  void anEd25519CertificateHasNoBindingBecauseItsSignatureNamesNoHash() {
    assertThrows(IllegalArgumentException.class, () -> bindingOf("ed25519"));
  }
}
