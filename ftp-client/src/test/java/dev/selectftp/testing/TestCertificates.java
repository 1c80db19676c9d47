package dev.selectftp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Real certificates for TLS tests, made with {@code openssl} in a folder of the test's (EC P-256, so it
 * takes a fraction of a second): a self-signed server certificate and a second one (a "changed"
 * certificate), a CA with a leaf for 127.0.0.1 and localhost, an expired leaf and a leaf for another name.
 * Each server identity is a PEM chain file and a PKCS#8 PEM key file, as Let's Encrypt writes them.
 */
public final class TestCertificates {
  /** A PEM chain (leaf first) and its key. */
  public record Identity(Path chain, Path key) {
    public X509Certificate leaf() throws IOException, GeneralSecurityException {
      return chainCertificates(chain).get(0);
    }

    /** A server-side TLS context presenting this identity. */
    public SSLContext serverContext() throws IOException, GeneralSecurityException {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] none = "test".toCharArray();
      store.setKeyEntry("server", readKey(key), none, chainCertificates(chain).toArray(new Certificate[0]));
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, none);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    }
  }

  public final Identity selfSigned;
  public final Identity otherSelfSigned;
  /** The CA's certificate, for {@code --cacert}. */
  public final Path caPem;
  public final Identity caSigned;
  public final Identity expired;
  public final Identity wrongName;

  private TestCertificates(Path dir) throws IOException, InterruptedException {
    selfSigned = selfSigned(dir, "self");
    otherSelfSigned = selfSigned(dir, "other");
    caPem = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca.key");
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", caKey.toString(), "-out", caPem.toString(), "-subj", "/CN=SelectFTP Test CA",
        "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-days", "30");
    Path leafKey = dir.resolve("leaf.key");
    Path csr = dir.resolve("leaf.csr");
    openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", leafKey.toString(), "-out", csr.toString(), "-subj", "/CN=localhost");
    Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
        "[ca]", "default_ca = test", "[test]", "database = db/index.txt", "serial = db/serial",
        "new_certs_dir = db", "default_md = sha256", "policy = any", "unique_subject = no",
        "[any]", "commonName = supplied",
        "[right]", "subjectAltName = DNS:localhost,IP:127.0.0.1",
        "[wrong]", "subjectAltName = DNS:elsewhere.example", ""));
    Files.createDirectories(dir.resolve("db"));
    Files.writeString(dir.resolve("db/index.txt"), "");
    Files.writeString(dir.resolve("db/serial"), "1000\n");
    caSigned = signed(dir, "ca-signed", csr, leafKey, "right", "20200101000000Z", "20991231000000Z");
    expired = signed(dir, "expired", csr, leafKey, "right", "20200101000000Z", "20200201000000Z");
    wrongName = signed(dir, "wrong-name", csr, leafKey, "wrong", "20200101000000Z", "20991231000000Z");
  }

  /** Makes every certificate in {@code dir}; needs {@code openssl} on the PATH. */
  public static TestCertificates makeIn(Path dir) throws IOException, InterruptedException {
    return new TestCertificates(dir);
  }

  private static Identity selfSigned(Path dir, String name) throws IOException, InterruptedException {
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "30");
    return new Identity(cert, key);
  }

  private Identity signed(Path dir, String name, Path csr, Path key, String extensions, String from, String to)
      throws IOException, InterruptedException {
    Path cert = dir.resolve(name + ".pem");
    openssl(dir, "ca", "-batch", "-config", "ca.cnf", "-cert", caPem.toString(), "-keyfile",
        dir.resolve("ca.key").toString(), "-in", csr.toString(), "-out", cert.toString(), "-notext",
        "-extensions", extensions, "-startdate", from, "-enddate", to);
    Path chain = dir.resolve(name + "-chain.pem");
    Files.writeString(chain, Files.readString(cert) + Files.readString(caPem));
    return new Identity(chain, key);
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("openssl " + args[0] + " failed: " + new String(output, StandardCharsets.UTF_8));
    }
  }

  static List<X509Certificate> chainCertificates(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    }
  }

  private static PrivateKey readKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem);
    String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }
}
