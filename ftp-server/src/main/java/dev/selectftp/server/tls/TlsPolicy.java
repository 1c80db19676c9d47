package dev.selectftp.server.tls;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * What TLS the server speaks: TLS 1.3 and 1.2 only, and only AEAD cipher suites with forward secrecy (the
 * Mozilla "intermediate" list without DHE): no RSA key exchange, no CBC, no SHA-1 MAC. The server picks the
 * suite in its own order, AES-GCM first (AES-NI makes it the fastest on servers), ChaCha20 for clients
 * without AES hardware.
 */
final class TlsPolicy {
  /** Newest first. TLS 1.1 and older are refused even on a JDK whose security file would still allow them. */
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** The server's order of preference. Suites this JDK does not support are left out at start. */
  static final List<String> CIPHER_SUITES = List.of(
      // TLS 1.3: every suite is AEAD with ephemeral key exchange.
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      // TLS 1.2: ECDHE only, AEAD only. ECDSA and RSA variants, since the operator's certificate may be either.
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /**
   * The JDK's switch for refusing a TLS 1.2 client's renegotiation request. Renegotiation buys a client a
   * server-side full handshake (an RSA or ECDSA signature) per request on a connection already open, a
   * cheap way to burn server CPU; nothing in SelectFTP needs it (TLS 1.3 has none at all). The JDK reads
   * this system property once, when its server handshake class loads, so it is set before the first
   * server engine is made, and only when the operator has not set it either way on the command line.
   */
  static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

  private TlsPolicy() {}

  /** Sets {@link #REJECT_RENEGOTIATION} to true unless already set (an explicit {@code -D} wins). */
  static void refuseClientRenegotiation() {
    if (System.getProperty(REJECT_RENEGOTIATION) == null) System.setProperty(REJECT_RENEGOTIATION, "true");
  }

  /** The parameters every server engine of {@code context} gets: protocols, suites, the server's order. */
  static SSLParameters serverParameters(SSLContext context) {
    Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
    String[] suites = CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new);
    Set<String> protocols = Set.of(context.getSupportedSSLParameters().getProtocols());
    if (suites.length == 0 || !protocols.containsAll(PROTOCOLS)) {
      throw new IllegalStateException("this JDK lacks TLS 1.3 or 1.2, or every one of " + CIPHER_SUITES);
    }
    SSLParameters parameters = new SSLParameters(suites, PROTOCOLS.toArray(String[]::new));
    parameters.setUseCipherSuitesOrder(true);
    parameters.setNeedClientAuth(false);
    parameters.setWantClientAuth(false);
    return parameters;
  }

  /** For tests and the start log line: the suites an engine from {@code parameters} offers. */
  static List<String> suites(SSLParameters parameters) {
    return Arrays.asList(parameters.getCipherSuites());
  }
}
