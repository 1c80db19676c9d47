package dev.selectftp.server.net;

import dev.selectftp.server.loop.Background;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * The order of a connection's upgrade to TLS, once per connection: asked ({@link #ask}: the protocol's
 * go-ahead is queued in plain text; input waits and what was read is dropped), then, once the go-ahead is
 * written, the engine is made on a helper thread (making one costs the loop about 100 us), then the TLS
 * transport goes in ({@link #done}). Loop-thread confined.
 */
final class TlsUpgrade {
  private sealed interface State {}

  /** No TLS asked for. */
  private record Plain() implements State {}

  /** Asked; the go-ahead is not written yet. {@code engines} is the handler's source, or null for the server's. */
  private record Asked(Supplier<SSLEngine> engines) implements State {}

  /** The engine is being made off the loop. */
  private record Making() implements State {}

  /** The TLS transport is in. */
  private record Up() implements State {}

  /** How to upgrade, or null when this server offers no TLS. */
  private final TlsSupport tls;
  private State state = new Plain();

  TlsUpgrade(TlsSupport tls) {
    this.tls = tls;
  }

  /**
   * The handler asked for TLS, with its own engine source or null for the server's.
   *
   * @throws IllegalStateException when TLS is not configured or was already asked for
   */
  void ask(Supplier<SSLEngine> engines) {
    if (tls == null) throw new IllegalStateException("TLS is not configured");
    if (!(state instanceof Plain)) throw new IllegalStateException("TLS already started");
    state = new Asked(engines);
  }

  /** True from the request until the TLS transport is in: input waits meanwhile. */
  boolean pending() {
    return state instanceof Asked || state instanceof Making;
  }

  /**
   * The go-ahead is written: has the engine made on a helper thread, once; {@code made} then gets it, or
   * how making it failed, on the loop.
   */
  void goAheadWritten(Background.Result<SSLEngine> made) {
    if (!(state instanceof Asked asked)) return;
    state = new Making();
    Supplier<SSLEngine> source = asked.engines() != null ? asked.engines() : tls.engines()::newServerEngine;
    tls.handshakes().run(source::get, made);
  }

  /** The helper threads that run the new transport's handshake steps. */
  Background handshakes() {
    return tls.handshakes();
  }

  /** The TLS transport is in: input flows again, over TLS. */
  void done() {
    state = new Up();
  }
}
