package dev.selectftp.server.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One FTPS session's TLS: a private {@link SSLContext} (so a private session cache and private session-ticket
 * keys) whose first engine, the control connection's, may do a full handshake, and whose later engines, the
 * data connections', can only resume a session of this context (vsftpd's {@code require_ssl_reuse}).
 *
 * <p>How "resumed" is enforced, since JSSE has no public "was this session resumed" flag: the context's key
 * manager hands the certificate and key to the control engine only. A full handshake needs them (every cipher
 * suite of {@code TlsPolicy} signs with the certificate), so a data engine's full handshake fails with a
 * handshake_failure alert, while a resumption (a TLS 1.2 session ID or ticket, a TLS 1.3 PSK) never asks the
 * key manager. Because the context is private, the only sessions a data engine can resume are this control
 * connection's (and those of its own earlier data connections, which were resumptions of it): a client of
 * another session, even from the same address with a ticket of its own, cannot take the data connection.
 * Comparing session IDs would not do: a TLS 1.3 resumption gets a session with a new ID.
 *
 * <p>Thread-safety: engines are made on helper threads; the key manager is asked on helper threads.
 */
public final class TlsFamily {
  private final X509ExtendedKeyManager keys;
  private final SSLParameters parameters;
  private final SecureRandom random;
  private SSLContext context;
  private volatile SSLEngine control;

  /**
   * @param keys the server's key manager (certificate and key)
   * @param parameters every engine's protocols and suites
   */
  public TlsFamily(X509ExtendedKeyManager keys, SSLParameters parameters, SecureRandom random) {
    this.keys = keys;
    this.parameters = parameters;
    this.random = random;
  }

  /**
   * Makes the private context and the control connection's engine, the one engine allowed a full handshake.
   * Costs a context's setup (tens of microseconds, no I/O): call it on a helper thread. Once only.
   */
  public synchronized SSLEngine newControlEngine() {
    if (context != null) throw new IllegalStateException("this family already has its control engine");
    try {
      SSLContext made = SSLContext.getInstance("TLS");
      // No trust managers: the server never asks for client certificates, and the default ones read cacerts.
      made.init(new KeyManager[] {new ControlOnlyKeys()}, new TrustManager[0], random);
      context = made;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
    }
    SSLEngine engine = create();
    control = engine;
    return engine;
  }

  /** An engine that can only resume this family's sessions (a data connection's). After {@link #newControlEngine}. */
  public synchronized SSLEngine newResumingEngine() {
    if (context == null) throw new IllegalStateException("no control engine yet");
    return create();
  }

  private SSLEngine create() {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setSSLParameters(parameters);
    return engine;
  }

  /** The server's key manager, answering the control engine only. */
  private final class ControlOnlyKeys extends X509ExtendedKeyManager {
    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return engine != null && engine == control ? keys.chooseEngineServerAlias(keyType, issuers, engine) : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null; // engines only
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys.getPrivateKey(alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return null;
    }
  }
}
