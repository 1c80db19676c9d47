package dev.selectftp.server.net;

import dev.selectftp.server.tls.TlsEngines;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test-side TLS: a real P-256 certificate made by the JDK's {@code keytool} in the test's folder, a server
 * {@link TlsEngines} (TLS 1.3 and 1.2) and a client context that trusts exactly that certificate.
 */
public final class KeytoolTls implements TlsEngines {
  private static final char[] PASSWORD = "test-only-store".toCharArray();
  private static final String ALIAS = "server";
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private final SSLContext server;
  private final javax.net.ssl.X509ExtendedKeyManager keys;
  private final SSLContext client;
  private final X509Certificate certificate;

  private KeytoolTls(SSLContext server, javax.net.ssl.X509ExtendedKeyManager keys, SSLContext client,
      X509Certificate certificate) {
    this.server = server;
    this.keys = keys;
    this.client = client;
    this.certificate = certificate;
  }

  /** Generates the key pair and certificate into {@code dir} (a few hundred ms: a keytool process). */
  public static KeytoolTls generate(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
    Files.createDirectories(dir);
    Path store = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
        "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD),
        "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("keytool failed: " + out);
    return load(dir);
  }

  /** Loads what {@link #generate} made in {@code dir}. */
  public static KeytoolTls load(Path dir) throws IOException, GeneralSecurityException {
    Path store = dir.resolve("server.p12");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    X509Certificate certificate = (X509Certificate) keys.getCertificate(ALIAS);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry(ALIAS, certificate);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);
    return new KeytoolTls(server, (javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0], client, certificate);
  }

  @Override
  public SSLEngine newServerEngine() {
    SSLEngine engine = server.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(PROTOCOLS.toArray(String[]::new));
    return engine;
  }

  /** An FTPS session's family with this certificate (TLS 1.3 and 1.2). */
  @Override
  public dev.selectftp.server.tls.TlsFamily newFamily() {
    javax.net.ssl.SSLParameters parameters = server.getDefaultSSLParameters();
    parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
    return new dev.selectftp.server.tls.TlsFamily(keys, parameters, new java.security.SecureRandom());
  }

  /** A client context trusting exactly this certificate, for tests that layer TLS themselves. */
  public SSLContext clientContext() {
    return client;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Layers a client TLS socket over {@code plain} (after the start-tls reply was read) and completes the
   * handshake, with the given protocols (TLS 1.3 and 1.2 when none are given).
   */
  public SSLSocket upgrade(Socket plain, String... protocols) throws IOException {
    SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
    tls.setUseClientMode(true);
    tls.setEnabledProtocols(protocols.length > 0 ? protocols : PROTOCOLS.toArray(String[]::new));
    tls.startHandshake();
    return tls;
  }
}
