package dev.selectftp.client.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether this client trusts a server's certificate, in this order:
 *
 * <ol>
 *   <li>The certificate is the one pinned for this {@code host:port} in the known-servers file: trusted at
 *       once, without reading the trust anchors (a one-shot command to a pinned server never parses the
 *       system trust store). Pins are made only for certificates the anchors refused (step 4), and a pin is
 *       trusted whatever its names say, so a pin that the anchors later accept too is not checked against
 *       the host name.
 *   <li>The chain verifies against the trust anchors (the system's, or {@code --cacert}'s): then the host
 *       name must match too (RFC 6125, by the JDK's {@code HTTPS} endpoint identification), else
 *       "certificate is for A, not B".
 *   <li>Otherwise the known-servers file decides for a server it knows: the pinned fingerprint is accepted,
 *       another one is refused with the file and the line to remove (ssh's "Offending key").
 *   <li>Otherwise a self-signed certificate is trusted on first use: pinned, with one line to the user.
 *   <li>Otherwise the refusal says why: expired, not yet valid, or not signed by a trusted authority.
 * </ol>
 *
 * <p>Failures are told apart by exception type and by the order of the checks, never by message text. A
 * pinned certificate is trusted for its {@code host:port} whatever its names and dates say, as ssh trusts
 * a known host key.
 */
final class ServerTrust extends X509ExtendedTrustManager {
  private static final Logger log = LoggerFactory.getLogger(ServerTrust.class);

  private final Anchors anchors;
  private final KnownServers knownServers;
  private final Consumer<String> notices;

  ServerTrust(Anchors anchors, KnownServers knownServers, Consumer<String> notices) {
    this.anchors = anchors;
    this.knownServers = knownServers;
    this.notices = notices;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, authType, engine.getPeerHost(), engine.getPeerPort(),
        () -> anchors.get().checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    String host = socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null
        ? ssl.getHandshakeSession().getPeerHost() : socket.getInetAddress().getHostAddress();
    check(chain, authType, host, socket.getPort(), () -> anchors.get().checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the server's host name is unknown here; use an SSLEngine or SSLSocket");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("this is a client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("this is a client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("this is a client");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    try {
      return anchors.get().getAcceptedIssuers();
    } catch (CertificateException e) {
      return new X509Certificate[0];
    }
  }

  /** The anchored check with the host name, run once the chain itself verified. */
  @FunctionalInterface
  private interface NameCheck {
    void run() throws CertificateException;
  }

  private void check(X509Certificate[] chain, String authType, String host, int port, NameCheck withName)
      throws CertificateException {
    if (chain == null || chain.length == 0) throw new CertificateRefusal("the server sent no certificate", null);
    X509Certificate leaf = chain[0];
    if (pinned(leaf, host, port)) return;
    X509ExtendedTrustManager anchored = anchors.get(); // a trust store that cannot be read refuses
    try {
      anchored.checkServerTrusted(chain, authType); // chain, dates and key usage; no host name yet
    } catch (CertificateException notAnchored) {
      notAnchored(leaf, host, port, notAnchored);
      return;
    }
    try {
      withName.run();
    } catch (CertificateException wrongName) {
      // The same chain just verified without the name, so what the name check adds is what failed.
      log.debug("host name check failed for {}", host, wrongName);
      throw new CertificateRefusal("certificate is for " + names(leaf) + ", not " + host, wrongName);
    }
  }

  /** True when {@code leaf} is the certificate pinned for {@code host:port}; pins nothing. */
  private boolean pinned(X509Certificate leaf, String host, int port) throws CertificateException {
    try {
      return knownServers.check(KnownServers.key(host, port), Fingerprint.of(leaf), false)
          instanceof KnownServers.Verdict.Known;
    } catch (IOException e) {
      throw new CertificateRefusal("cannot use the known-servers file " + knownServers.file() + ": " + e, e);
    }
  }

  private void notAnchored(X509Certificate leaf, String host, int port, CertificateException why)
      throws CertificateException {
    String server = KnownServers.key(host, port);
    Fingerprint fingerprint = Fingerprint.of(leaf);
    boolean selfSigned = selfSigned(leaf);
    KnownServers.Verdict verdict;
    try {
      verdict = knownServers.check(server, fingerprint, selfSigned);
    } catch (IOException e) {
      throw new CertificateRefusal("cannot use the known-servers file " + knownServers.file() + ": " + e, e);
    }
    if (verdict instanceof KnownServers.Verdict.Known) return;
    if (verdict instanceof KnownServers.Verdict.Pinned) {
      notices.accept("pinned " + fingerprint + " for " + server + " in " + knownServers.file());
      return;
    }
    if (verdict instanceof KnownServers.Verdict.Changed changed) {
      throw new CertificateRefusal("the certificate of " + server + " changed (now " + fingerprint
          + "); if you trust the new one, remove line " + changed.line() + " of " + knownServers.file(), why);
    }
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new CertificateRefusal("certificate for " + host + " has expired on " + utc(leaf.getNotAfter()), why);
    } catch (CertificateNotYetValidException e) {
      throw new CertificateRefusal("certificate for " + host + " is not valid before " + utc(leaf.getNotBefore()), why);
    }
    if (causedBy(why, CertPathBuilderException.class)) {
      throw new CertificateRefusal("certificate for " + host
          + " is not signed by a trusted authority (give its CA with --cacert FILE)", why);
    }
    throw new CertificateRefusal("certificate for " + host + " was refused: " + why.getMessage(), why);
  }

  static boolean selfSigned(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) return false;
    try {
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return true;
      if (t.getCause() == t) break;
    }
    return false;
  }

  /** The DNS names and addresses the certificate is for, else its subject. */
  static String names(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> name : alternatives) {
          int type = (Integer) name.get(0);
          if (type == 2 || type == 7) names.add(String.valueOf(name.get(1))); // dNSName, iPAddress
        }
      }
    } catch (CertificateParsingException e) {
      log.debug("unreadable subject alternative names", e);
    }
    return names.isEmpty() ? certificate.getSubjectX500Principal().getName() : String.join(", ", names);
  }

  private static String utc(java.util.Date date) {
    SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);
    format.setTimeZone(TimeZone.getTimeZone("UTC"));
    return format.format(date);
  }
}
