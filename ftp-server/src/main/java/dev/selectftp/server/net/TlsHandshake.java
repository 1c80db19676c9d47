package dev.selectftp.server.net;

import dev.selectftp.common.ChannelBinding;
import dev.selectftp.server.loop.Background;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server handshake of one {@link TlsTransport}, driven from the loop: on the loop only socket reads
 * happen; every engine step (parsing the client's messages, the delegated tasks, producing the server's
 * flight: signatures, key agreement, key derivation) runs as a {@link TlsHandshakeStep} on a helper thread
 * while the connection waits ({@link #stepRunning()}), and the flight it produced is written by the
 * connection's flush once it is back. Afterwards TLS 1.3 key updates are answered and renegotiation is
 * refused ({@link #afterMessage}).
 */
final class TlsHandshake {
  /** Logs under the transport's name: one name for one connection's TLS in the log. */
  private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);

  private final SSLEngine engine;
  private final Background tasks;
  private final TlsInbound input;
  private final TlsOutbound output;
  private final String address;
  private final Runnable onStepBack;
  /** Hold what the last step produced until this side writes or closes (see {@link TlsTransport}'s constructor). */
  private final boolean holdLastFlight;
  private boolean inProgress = true;
  /** A step runs on a helper thread: the engine and the input it took are its own until it is back. */
  private boolean stepRunning;
  /** How the last step off the loop failed, thrown on the loop by the next {@link #advance}. */
  private SSLException stepFailure;
  /** The transport closed: a step that comes back finds nothing to give its results to. */
  private boolean abandoned;
  private byte[] channelBinding;

  /** Starts the engine's server handshake; {@code onStepBack} runs on the loop when a step is back. */
  TlsHandshake(SSLEngine engine, Background tasks, TlsInbound input, TlsOutbound output, String address,
      Runnable onStepBack, boolean holdLastFlight) {
    this.engine = engine;
    this.tasks = tasks;
    this.input = input;
    this.output = output;
    this.address = address;
    this.onStepBack = onStepBack;
    this.holdLastFlight = holdLastFlight;
    engine.setUseClientMode(false);
    try {
      engine.beginHandshake();
    } catch (SSLException e) {
      throw new IllegalStateException("a fresh engine refused to start its handshake", e);
    }
  }

  /** True until application bytes can flow. */
  boolean inProgress() {
    return inProgress;
  }

  /** True while a step runs off the loop: no reads until it is back. */
  boolean stepRunning() {
    return stepRunning;
  }

  /**
   * Advances the handshake: reads the socket when the engine waits for the client's bytes (an end of input
   * shows in {@link TlsInbound#ended()}), then starts a step off the loop; throws how the last step failed.
   * Does nothing while a step runs.
   */
  void advance() throws IOException {
    if (stepRunning) return;
    if (stepFailure != null) {
      SSLException failure = stepFailure;
      stepFailure = null;
      throw failure;
    }
    if (!inProgress) return;
    HandshakeStatus status = engine.getHandshakeStatus();
    if ((status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN)
        && input.needsSocket()) {
      if (input.readSocket() <= 0) return;
    }
    step();
  }

  private void step() {
    stepRunning = true;
    ByteBuffer in = input.lend(); // the helper owns it until the step is back
    tasks.run(() -> TlsHandshakeStep.run(engine, in, TlsOutbound.RECORDS_PER_WRITE), (result, failure) -> {
      stepRunning = false;
      if (abandoned) return;
      if (failure != null) {
        stepFailure = new SSLException("handshake step failed: " + failure);
      } else {
        input.giveBack(result.in(), result.inShort());
        if (holdLastFlight && result.done() && result.failure() == null) {
          output.hold(result.out());
        } else {
          output.queue(result.out());
        }
        if (result.failure() != null) stepFailure = result.failure();
        if (result.inputClosed()) input.end();
        if (result.done()) finished();
      }
      onStepBack.run();
    });
  }

  private void finished() {
    inProgress = false;
    Certificate[] mine = engine.getSession().getLocalCertificates();
    if (mine != null && mine.length > 0 && mine[0] instanceof X509Certificate certificate) {
      try {
        channelBinding = ChannelBinding.tlsServerEndPoint(certificate);
      } catch (IllegalArgumentException e) {
        log.warn("{}: no channel binding for this certificate: {}", address, e.getMessage());
      }
    }
    log.debug("{}: TLS up: {} {}", address, engine.getSession().getProtocol(), engine.getSession().getCipherSuite());
  }

  /**
   * After an unwrap that produced {@code r}: a post-handshake message is handled here. A TLS 1.3 key update
   * is answered; anything asking for a new handshake is refused (thrown).
   */
  void afterMessage(SSLEngineResult r) throws IOException {
    HandshakeStatus status = r.getHandshakeStatus();
    if (status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED) return;
    if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
      throw new SSLException("renegotiation refused");
    }
    if (status != HandshakeStatus.NEED_WRAP) throw new SSLException("unexpected handshake message: " + status);
    while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) output.wrapHandshake();
    output.flush();
  }

  /** RFC 5929 tls-server-end-point once the handshake is done (a copy); null before or without an X.509 certificate. */
  byte[] channelBinding() {
    return channelBinding == null ? null : channelBinding.clone();
  }

  /** The transport closed: a step still away is dropped when it comes back. */
  void abandon() {
    abandoned = true;
  }
}
