package dev.selectftp.server.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS engines, made from the operator's PEM files ({@code --tls-cert}, {@code --tls-key}) or
 * from a self-signed pair in the data folder. Operator files are polled every {@link #POLL_INTERVAL} on a
 * thread of their own ({@value #THREAD_NAME}); new content is parsed and checked there and swapped in
 * atomically, so new handshakes use the new certificate and open connections keep theirs. A broken
 * replacement keeps the current certificate and logs one warning line.
 */
public final class ServerCertificates implements TlsEngines, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerCertificates.class);
  /** How often the files are looked at: a renewal is served within this, and a look is two small reads. */
  public static final Duration POLL_INTERVAL = Duration.ofSeconds(10);
  public static final String THREAD_NAME = "ftp-tls-reload";
  /** The in-memory key store's password: it never leaves this process, so it protects nothing and is fixed. */
  private static final char[] STORE_PASSWORD = "selectftp".toCharArray();
  private static final String ALIAS = "server";
  /** Shared by every FTPS family's context (thread-safe; seeding one per session would cost entropy reads). */
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What one handshake needs, swapped as a whole. */
  private record Current(ServerIdentity identity, SSLContext context, SSLParameters parameters,
      X509ExtendedKeyManager keys) {}

  private final AtomicReference<Current> current;
  private final Path certFile;
  private final Path keyFile;
  private final boolean selfSigned;
  private final ScheduledExecutorService reloader;
  private final AtomicLong checks = new AtomicLong();
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong rejections = new AtomicLong();
  // Touched only by the reload thread.
  private byte[] loadedStamp;
  private byte[] failedStamp;
  private String failedProblem;
  private boolean warned;

  private ServerCertificates(ServerIdentity identity, Path certFile, Path keyFile, boolean selfSigned,
      byte[] stamp, Duration poll) throws TlsMaterialException {
    this.current = new AtomicReference<>(prepare(identity));
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.selfSigned = selfSigned;
    this.loadedStamp = stamp;
    if (selfSigned) {
      reloader = null; // our own files: nobody renews them
    } else {
      reloader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, THREAD_NAME);
        t.setDaemon(true);
        return t;
      });
      long nanos = poll.toNanos();
      reloader.scheduleWithFixedDelay(this::check, nanos, nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** {@link #open(TlsSettings, Path, InetSocketAddress, Duration)} polling every {@link #POLL_INTERVAL}. */
  public static ServerCertificates open(TlsSettings settings, Path dataDir, InetSocketAddress bind)
      throws TlsMaterialException {
    return open(settings, dataDir, bind, POLL_INTERVAL);
  }

  /**
   * Loads the operator's pair, or loads or makes the self-signed one, and logs its SHA-256 fingerprint.
   * Blocking (file I/O, maybe key generation): call once at start, before the loop serves.
   *
   * @param poll how often operator files are looked at; tests pass milliseconds
   * @throws TlsMaterialException with a one-line message for the operator
   */
  public static ServerCertificates open(TlsSettings settings, Path dataDir, InetSocketAddress bind, Duration poll)
      throws TlsMaterialException {
    if (!settings.enabled()) throw new IllegalArgumentException("TLS is off");
    TlsPolicy.refuseClientRenegotiation();
    ServerCertificates certificates;
    if (settings.cert() == null) {
      ServerIdentity identity = SelfSigned.loadOrCreate(dataDir, bind);
      certificates = new ServerCertificates(identity, SelfSigned.certFile(dataDir), SelfSigned.keyFile(dataDir),
          true, null, poll);
    } else {
      byte[] certPem = PemFiles.read(settings.cert(), "certificate");
      byte[] keyPem = PemFiles.read(settings.key(), "key");
      ServerIdentity identity = PemFiles.parse(settings.cert(), certPem, settings.key(), keyPem);
      certificates = new ServerCertificates(identity, settings.cert(), settings.key(), false,
          stamp(certPem, keyPem), poll);
    }
    certificates.describe();
    return certificates;
  }

  /** A server-mode engine with the current certificate. No I/O, no key work: safe on the event loop. */
  @Override
  public SSLEngine newServerEngine() {
    Current now = current.get();
    SSLEngine engine = now.context().createSSLEngine();
    engine.setUseClientMode(false);
    engine.setSSLParameters(now.parameters());
    return engine;
  }

  /** A family for one FTPS session, with the current certificate (cheap: the context is made later, off the loop). */
  @Override
  public TlsFamily newFamily() {
    Current now = current.get();
    return new TlsFamily(now.keys(), now.parameters(), RANDOM);
  }

  /** The chain and key new handshakes use now. */
  public ServerIdentity identity() {
    return current.get().identity();
  }

  /** The current certificate's SHA-256 fingerprint ({@code AB:CD:...}), for the start banner and the log. */
  public String fingerprint() {
    return identity().fingerprint();
  }

  /** Whether the certificate is the generated self-signed one (clients pin it rather than verify it). */
  public boolean selfSigned() {
    return selfSigned;
  }

  /** The PEM file the certificate comes from. */
  public Path certificateFile() {
    return certFile;
  }

  /** Stops watching the files; engines already made keep working. Safe twice. */
  @Override
  public void close() {
    if (reloader != null) reloader.shutdownNow();
  }

  long checks() {
    return checks.get();
  }

  long reloads() {
    return reloads.get();
  }

  long rejections() {
    return rejections.get();
  }

  /**
   * One look at the operator's files, on the reload thread. Their content is compared, not their times:
   * certbot renews by pointing the links in {@code live/} at new files, and a link's own time says nothing.
   * A pair that fails is looked at once more before the warning, since certbot replaces the two links one
   * after the other and a poll in between may see the new certificate with the old key. Package-private so
   * tests can look exactly when they mean to.
   */
  void check() {
    checks.incrementAndGet();
    try {
      byte[] certPem = null;
      byte[] keyPem = null;
      String problem = null;
      byte[] stamp;
      try {
        certPem = PemFiles.read(certFile, "certificate");
        keyPem = PemFiles.read(keyFile, "key");
        stamp = stamp(certPem, keyPem);
      } catch (TlsMaterialException e) {
        problem = e.getMessage();
        stamp = stamp(problem.getBytes(StandardCharsets.UTF_8), new byte[0]);
      }
      if (Arrays.equals(stamp, loadedStamp)) {
        failedStamp = null;
        return;
      }
      if (Arrays.equals(stamp, failedStamp)) {
        if (!warned) {
          warned = true;
          rejections.incrementAndGet();
          log.warn("keeping the current TLS certificate: {}", failedProblem);
        }
        return;
      }
      if (problem == null) {
        try {
          current.set(prepare(PemFiles.parse(certFile, certPem, keyFile, keyPem)));
          loadedStamp = stamp;
          failedStamp = null;
          reloads.incrementAndGet();
          log.info("TLS certificate reloaded from {}", certFile);
          describe();
          return;
        } catch (TlsMaterialException e) {
          problem = e.getMessage();
        }
      }
      failedStamp = stamp;
      failedProblem = problem;
      warned = false;
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; the next poll must still come.
      log.warn("TLS certificate check failed, keeping the current one: {}", e.toString());
    }
  }

  /** Logs the fingerprint, and what an operator would want to fix about the certificate. */
  private void describe() {
    X509Certificate leaf = identity().leaf();
    log.info("TLS certificate SHA-256 fingerprint: {} ({}{}, valid until {})", fingerprint(),
        selfSigned ? "self-signed, " : "", certFile, leaf.getNotAfter().toInstant());
    Instant now = Instant.now();
    if (leaf.getNotAfter().toInstant().isBefore(now)) {
      log.warn("TLS certificate in {} expired on {}; clients will refuse it", certFile,
          leaf.getNotAfter().toInstant());
    } else if (leaf.getNotBefore().toInstant().isAfter(now)) {
      log.warn("TLS certificate in {} is not valid before {}; clients will refuse it", certFile,
          leaf.getNotBefore().toInstant());
    }
    boolean selfIssued = leaf.getIssuerX500Principal().equals(leaf.getSubjectX500Principal());
    if (!selfSigned && identity().chain().size() == 1 && !selfIssued) {
      log.warn("TLS certificate file {} holds no intermediate certificate; clients may fail to verify it "
          + "(give Let's Encrypt's fullchain.pem, not cert.pem)", certFile);
    }
  }

  /** The context and engine parameters for {@code identity}: key store work, done off the loop. */
  private static Current prepare(ServerIdentity identity) throws TlsMaterialException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, identity.key(), STORE_PASSWORD,
          identity.chain().toArray(X509Certificate[]::new));
      KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
      keys.init(store, STORE_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      X509ExtendedKeyManager manager = null;
      for (KeyManager k : keys.getKeyManagers()) {
        if (k instanceof X509ExtendedKeyManager x) manager = x;
      }
      if (manager == null) throw new TlsMaterialException("this JDK's SunX509 key manager is not an X509ExtendedKeyManager");
      return new Current(identity, context, TlsPolicy.serverParameters(context), manager);
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsMaterialException("cannot use the TLS key with this JDK: " + e.getMessage(), e);
    }
  }

  private static byte[] stamp(byte[] certPem, byte[] keyPem) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(certPem);
      digest.update((byte) 0); // a separator, so bytes moving from one file to the other still make a new stamp
      digest.update(keyPem);
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }
}
