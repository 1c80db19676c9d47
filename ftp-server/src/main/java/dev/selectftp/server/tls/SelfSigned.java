package dev.selectftp.server.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate a server uses when the operator gives none: made once, on first start, into
 * {@code <dataDir>/tls/}, and reused on every later start, so its fingerprint (what clients pin) stays.
 */
public final class SelfSigned {
  private static final Logger log = LoggerFactory.getLogger(SelfSigned.class);
  public static final String DIR_NAME = "tls";
  public static final String CERT_FILE = "server-cert.pem";
  public static final String KEY_FILE = "server-key.pem";
  /**
   * Ten years. Clients trust this certificate by pinning its fingerprint, not by a CA, and a new certificate
   * means a new fingerprint that every client must accept again; the short lifetimes CAs use limit the damage
   * of a mis-issued public certificate, which a pinned one is not. A stolen key is handled by deleting the
   * files (a new pair is made on the next start), not by waiting for expiry.
   */
  public static final Duration VALIDITY = Duration.ofDays(3650);
  /** Clients whose clocks run a little behind still accept a certificate made a moment ago. */
  static final Duration BACKDATE = Duration.ofHours(1);

  private SelfSigned() {}

  /** Where the pair lives for {@code dataDir}. */
  public static Path certFile(Path dataDir) {
    return dataDir.resolve(DIR_NAME).resolve(CERT_FILE);
  }

  public static Path keyFile(Path dataDir) {
    return dataDir.resolve(DIR_NAME).resolve(KEY_FILE);
  }

  /**
   * The pair in {@code <dataDir>/tls/}, made now if it is not there. Blocking (file I/O, key generation):
   * call at start, before the loop serves.
   *
   * @throws TlsMaterialException when the files exist but cannot be used; they are not replaced, since a
   *     new certificate would break every client that pinned the old one
   */
  public static ServerIdentity loadOrCreate(Path dataDir, InetSocketAddress bind) throws TlsMaterialException {
    Path cert = certFile(dataDir);
    Path key = keyFile(dataDir);
    if (Files.exists(cert) && Files.exists(key)) {
      try {
        return PemFiles.load(cert, key);
      } catch (TlsMaterialException e) {
        throw new TlsMaterialException(e.getMessage() + "; delete both files in " + cert.getParent()
            + " to make a new self-signed certificate (clients will see a new fingerprint)", e);
      }
    }
    // The key is written before the certificate, so a lone key is the trace of a crash in between: no client
    // ever saw a certificate for it, and a new pair replaces it.
    try {
      return create(cert, key, names(bind));
    } catch (IOException e) {
      throw new TlsMaterialException("cannot write a self-signed certificate into " + cert.getParent() + ": "
          + e.getMessage(), e);
    }
  }

  private static ServerIdentity create(Path cert, Path key, List<String> names) throws IOException {
    Path dir = cert.getParent();
    if (PemFiles.posix(dir.toAbsolutePath().getParent())) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
    KeyPair keys = Certificates.newKeyPair();
    Instant now = Instant.now();
    X509Certificate certificate = Certificates.selfSigned(keys, names, now.minus(BACKDATE), now.plus(VALIDITY));
    PemFiles.writeAtomically(key, Certificates.toPem(keys.getPrivate()), true);
    PemFiles.writeAtomically(cert, Certificates.toPem(List.of(certificate)), false);
    log.info("made a self-signed TLS certificate for {} in {}", names, dir);
    return new ServerIdentity(List.of(certificate), keys.getPrivate());
  }

  /**
   * The names a client on this machine or the LAN may dial: localhost and its addresses, this machine's
   * host name, and the bind address when it is a specific one. A pinning client checks the fingerprint, not
   * the name; the names help a client that checks names too (curl with {@code --cacert}).
   */
  static List<String> names(InetSocketAddress bind) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost"));
    try {
      String host = InetAddress.getLocalHost().getHostName();
      if (!host.isEmpty()) names.add(host);
    } catch (UnknownHostException e) {
      log.debug("no host name for the self-signed certificate: {}", e.getMessage());
    }
    names.add("127.0.0.1");
    names.add("::1");
    InetAddress address = bind.getAddress();
    if (address != null && !address.isAnyLocalAddress() && !address.isLoopbackAddress()) {
      String literal = address.getHostAddress();
      int scope = literal.indexOf('%'); // an IPv6 zone (fe80::1%eth0) is local to this host, not part of the name
      names.add(scope < 0 ? literal : literal.substring(0, scope));
    }
    return List.copyOf(names);
  }
}
