package dev.selectftp.server.tls;

import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client engine and a server engine joined in memory: each one's wrapped output is the other's input, so
 * a handshake runs without sockets or threads. Tasks run inline.
 */
final class EnginePair {
  /** Enough rounds for any TLS 1.2 or 1.3 handshake; more means the two engines are stuck. */
  private static final int MAX_ROUNDS = 200;
  private static final int BUFFER_BYTES = 1 << 17;

  private final SSLEngine client;
  private final SSLEngine server;
  private final ByteBuffer toServer = ByteBuffer.allocate(BUFFER_BYTES);
  private final ByteBuffer toClient = ByteBuffer.allocate(BUFFER_BYTES);
  private final ByteBuffer sink = ByteBuffer.allocate(BUFFER_BYTES);

  EnginePair(SSLEngine client, SSLEngine server) {
    this.client = client;
    this.server = server;
  }

  /** A client engine that trusts {@code anchor} only (PKIX, as a client with {@code --cacert} would). */
  static SSLEngine clientTrusting(X509Certificate anchor, String protocol, String... suites) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("anchor", anchor);
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    SSLEngine engine = context.createSSLEngine("localhost", 2121);
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(new String[] {protocol});
    if (suites.length > 0) engine.setEnabledCipherSuites(suites);
    return engine;
  }

  /** Runs the handshake to its end; throws what either engine throws. */
  EnginePair handshake() throws SSLException {
    client.beginHandshake();
    server.beginHandshake();
    pump();
    return this;
  }

  /** The client starts a new handshake on the open connection (TLS 1.2 renegotiation). */
  void renegotiate() throws SSLException {
    client.beginHandshake();
    pump();
  }

  private void pump() throws SSLException {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      boolean moved = step(client, toServer, toClient) | step(server, toClient, toServer);
      if (!moved && idle(client) && idle(server)) return;
    }
    throw new AssertionError("handshake did not finish in " + MAX_ROUNDS + " rounds");
  }

  private static boolean idle(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  /** One move of {@code engine}: reads from {@code in}, writes to {@code out}; true if anything happened. */
  private boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in) throws SSLException {
    boolean moved = false;
    HandshakeStatus status = engine.getHandshakeStatus();
    if (status == HandshakeStatus.NEED_TASK) {
      for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) task.run();
      return true;
    }
    if (status == HandshakeStatus.NEED_WRAP) {
      SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
      moved = result.bytesProduced() > 0 || result.getHandshakeStatus() != status;
    }
    in.flip();
    try {
      if (in.hasRemaining() && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
        sink.clear();
        SSLEngineResult result = engine.unwrap(in, sink);
        moved |= result.bytesConsumed() > 0;
      }
    } finally {
      in.compact();
    }
    return moved;
  }
}
