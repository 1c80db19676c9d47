package dev.selectftp.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and chains in every form openssl and certbot write, and the one-line refusals. */
class PemFilesTest {
  @TempDir static Path dir;

  @BeforeAll
  static void openssl_is_here() throws Exception {
    Openssl.assumeInstalled();
    Openssl.ecPair(dir, "ec-cert.pem", "ec-key.pem", "localhost");
    Openssl.ecPair(dir, "other-cert.pem", "other-key.pem", "localhost");
    Openssl.run(dir, "genrsa", "-traditional", "-out", "rsa-key.pem", "2048");
    Openssl.run(dir, "req", "-x509", "-key", "rsa-key.pem", "-out", "rsa-cert.pem", "-days", "30", "-subj",
        "/CN=localhost");
  }

  @Test
  void a_pkcs8_ec_key_from_openssl_req_loads_and_its_fingerprint_is_the_one_openssl_prints() throws Exception {
    assertTrue(Files.readString(dir.resolve("ec-key.pem")).contains("BEGIN PRIVATE KEY"));
    ServerIdentity identity = PemFiles.load(dir.resolve("ec-cert.pem"), dir.resolve("ec-key.pem"));
    assertEquals(Openssl.fingerprint(dir, "ec-cert.pem"), identity.fingerprint());
    assertEquals("EC", identity.key().getAlgorithm());
  }

  @Test
  void a_pkcs1_rsa_key_loads() throws Exception {
    assertTrue(Files.readString(dir.resolve("rsa-key.pem")).contains("BEGIN RSA PRIVATE KEY"));
    ServerIdentity identity = PemFiles.load(dir.resolve("rsa-cert.pem"), dir.resolve("rsa-key.pem"));
    assertEquals("RSA", identity.key().getAlgorithm());
  }

  @Test
  void a_sec1_ec_key_with_its_parameters_block_loads() throws Exception {
    Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "sec1-key.pem");
    Openssl.run(dir, "req", "-x509", "-key", "sec1-key.pem", "-out", "sec1-cert.pem", "-days", "30", "-subj",
        "/CN=localhost");
    String pem = Files.readString(dir.resolve("sec1-key.pem"));
    assertTrue(pem.contains("BEGIN EC PARAMETERS") && pem.contains("BEGIN EC PRIVATE KEY"), pem);
    assertEquals("EC", PemFiles.load(dir.resolve("sec1-cert.pem"), dir.resolve("sec1-key.pem")).key().getAlgorithm());
  }

  @Test
  void a_full_chain_loads_leaf_first_and_a_reversed_one_is_refused_with_the_reason() throws Exception {
    Openssl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
        "ca-key.pem", "-out", "ca.pem", "-days", "30", "-subj", "/CN=Test CA");
    Openssl.run(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
        "leaf-key.pem", "-out", "leaf.csr", "-subj", "/CN=localhost");
    Openssl.run(dir, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
        "-out", "leaf.pem", "-days", "30");
    String leaf = Files.readString(dir.resolve("leaf.pem"));
    String ca = Files.readString(dir.resolve("ca.pem"));
    Files.writeString(dir.resolve("fullchain.pem"), leaf + ca);
    Files.writeString(dir.resolve("reversed.pem"), ca + leaf);
    ServerIdentity identity = PemFiles.load(dir.resolve("fullchain.pem"), dir.resolve("leaf-key.pem"));
    assertEquals(2, identity.chain().size());
    assertEquals(Openssl.fingerprint(dir, "leaf.pem"), identity.fingerprint());
    String message = refusal("reversed.pem", "leaf-key.pem");
    assertTrue(message.contains("must come first"), message);
  }

  @Test
  void a_key_that_does_not_match_the_certificate_is_refused_in_one_line() throws Exception {
    String message = refusal("ec-cert.pem", "other-key.pem");
    assertTrue(message.contains("does not match the certificate"), message);
    assertTrue(message.contains("other-key.pem"), message);
    String rsaForEc = refusal("ec-cert.pem", "rsa-key.pem");
    assertTrue(rsaForEc.contains("does not match"), rsaForEc);
  }

  @Test
  void encrypted_keys_are_refused_in_pkcs8_and_in_the_traditional_form() throws Exception {
    Openssl.run(dir, "pkcs8", "-topk8", "-in", "ec-key.pem", "-out", "enc8.pem", "-passout", "pass:secret");
    Openssl.run(dir, "rsa", "-in", "rsa-key.pem", "-traditional", "-aes256", "-passout", "pass:secret", "-out",
        "enc1.pem");
    assertTrue(Files.readString(dir.resolve("enc8.pem")).contains("BEGIN ENCRYPTED PRIVATE KEY"));
    assertTrue(Files.readString(dir.resolve("enc1.pem")).contains("Proc-Type: 4,ENCRYPTED"));
    assertTrue(refusal("ec-cert.pem", "enc8.pem").contains("is encrypted"));
    assertTrue(refusal("rsa-cert.pem", "enc1.pem").contains("is encrypted"));
  }

  @Test
  void missing_files_garbage_and_swapped_files_are_refused_with_the_files_name() throws Exception {
    assertTrue(refusal("nowhere.pem", "ec-key.pem").contains("nowhere.pem does not exist"));
    Files.writeString(dir.resolve("garbage.pem"), "hello\n");
    assertTrue(refusal("garbage.pem", "ec-key.pem").contains("holds no BEGIN CERTIFICATE block"));
    assertTrue(refusal("ec-cert.pem", "ec-cert.pem").contains("holds no private key block"));
    assertTrue(refusal("ec-key.pem", "ec-key.pem").contains("holds no BEGIN CERTIFICATE block"));
  }

  @Test
  void a_key_written_by_this_server_reads_back_with_openssl() throws Exception {
    ServerIdentity identity = PemFiles.load(dir.resolve("ec-cert.pem"), dir.resolve("ec-key.pem"));
    Path written = dir.resolve("rewritten-key.pem");
    PemFiles.writeAtomically(written, Certificates.toPem(identity.key()), true);
    String check = Openssl.run(dir, "pkey", "-in", "rewritten-key.pem", "-noout", "-text");
    assertTrue(check.contains("NIST CURVE: P-256") || check.contains("prime256v1"), check);
  }

  private static String refusal(String cert, String key) {
    TlsMaterialException e =
        assertThrows(TlsMaterialException.class, () -> PemFiles.load(dir.resolve(cert), dir.resolve(key)));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }
}
