package dev.selectftp.client.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * How this client speaks TLS: whether it upgrades at all ({@code --no-tls} turns it off), whom it trusts
 * (the system trust store, or the CA certificates of {@code --cacert}; self-signed servers pinned in the
 * known-servers file) and where its one-line notices go. TLS 1.3 and 1.2 only, host names verified. Build
 * one per process (the trust store is read once, and only when a certificate needs it: {@link Anchors})
 * and share it: it is thread-safe.
 */
public final class ClientTls {
  /** TLS 1.0 and 1.1 are deprecated (RFC 8996). */
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final SSLContext context;
  private final Path knownServersFile;
  private final Consumer<String> notices;
  private final Set<String> said = ConcurrentHashMap.newKeySet();

  private ClientTls(SSLContext context, Path knownServersFile, Consumer<String> notices) {
    this.context = context;
    this.knownServersFile = knownServersFile;
    this.notices = notices;
  }

  /** No TLS: the connection stays plain text even when the server offers TLS ({@code --no-tls}). */
  public static ClientTls off() {
    return new ClientTls(null, null, line -> {});
  }

  /** {@code ~/.selectftp/known_servers}. */
  public static Path defaultKnownServers() {
    return Path.of(System.getProperty("user.home"), ".selectftp", "known_servers");
  }

  /** TLS with the system trust store and the default known-servers file, notices to {@code notices}. */
  public static ClientTls withDefaults(Consumer<String> notices) throws IOException {
    return create(null, defaultKnownServers(), notices);
  }

  /**
   * @param caCert PEM file of one or more CA certificates to trust instead of the system's, or null
   * @param knownServers the file that pins self-signed servers
   * @param notices receives the one-line notices for the user (a pin made, a server without TLS)
   * @throws IOException when {@code caCert} cannot be read or holds no certificate
   */
  public static ClientTls create(Path caCert, Path knownServers, Consumer<String> notices) throws IOException {
    Objects.requireNonNull(knownServers, "knownServers");
    try {
      // --cacert is read here, so that a bad file is an error before connecting.
      Anchors anchors = new Anchors(caCert == null ? null : keyStoreOf(caCert));
      SSLContext context = SSLContext.getInstance("TLS");
      ServerTrust trust = new ServerTrust(anchors, new KnownServers(knownServers), notices);
      context.init(null, new TrustManager[] {trust}, null);
      return new ClientTls(context, knownServers.toAbsolutePath(), notices);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyStore keyStoreOf(Path pem) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pem)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (CertificateException e) {
      throw new IOException(pem + " holds no readable PEM certificate", e);
    }
    if (certificates.isEmpty()) throw new IOException(pem + " holds no certificate");
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate certificate : certificates) store.setCertificateEntry("ca-" + i++, certificate);
    return store;
  }

  /** False for {@link #off()}. */
  public boolean enabled() {
    return context != null;
  }

  /** The known-servers file, or null when TLS is off. */
  public Path knownServersFile() {
    return knownServersFile;
  }

  /** Tells the user one line (stderr in the console), once: reconnects and bench clients do not repeat it. */
  public void notice(String line) {
    if (said.add(line)) notices.accept(line);
  }

  /** A client engine for {@code host:port}: TLS 1.3/1.2, host name verification on, SNI for DNS names. */
  public SSLEngine newEngine(String host, int port) {
    SSLEngine engine = requireContext().createSSLEngine(host, port);
    engine.setUseClientMode(true);
    engine.setSSLParameters(parameters(engine.getSSLParameters()));
    return engine;
  }

  /** TLS over an already connected socket (the upgrade done), as {@link #newEngine} configures it. */
  public SSLSocket layer(Socket socket, String host, int port) throws IOException {
    SSLSocket ssl = (SSLSocket) requireContext().getSocketFactory().createSocket(socket, host, port, true);
    ssl.setUseClientMode(true);
    ssl.setSSLParameters(parameters(ssl.getSSLParameters()));
    return ssl;
  }

  private static SSLParameters parameters(SSLParameters parameters) {
    parameters.setProtocols(PROTOCOLS);
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    return parameters;
  }

  private SSLContext requireContext() {
    if (context == null) throw new IllegalStateException("TLS is off");
    return context;
  }
}
