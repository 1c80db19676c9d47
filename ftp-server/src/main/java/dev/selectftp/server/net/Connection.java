package dev.selectftp.server.net;

import dev.selectftp.common.LogText;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.Selectable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket: turns readiness into reads, writes and stream slices for its {@link Handler}, over a
 * {@link Transport} (plain text, or TLS after {@link #startTls}). It knows no protocol: the handler says how
 * much to read, what a request is and what to say when the connection times out or the server stops.
 *
 * <p>Fair share: each {@link #onReady} serves one slice of input ({@link InputSlices}); input left over is
 * served again next pass ({@link EventLoop#again}), never from inside a write or a resume call.
 *
 * <p>Bounded memory whatever the peer does (figures in {@link ConnectionLimits}): output queued beyond
 * {@link ConnectionOutput#cap} stops input until the client reads; the kept input is at most one read of the
 * handler's {@link Handler#readWindow()}; a message started must complete in time ({@link Deadlines}). Idle,
 * it holds no buffer.
 *
 * <p>Half-close: after the client's FIN, every request read before it is still answered; the connection
 * closes once the replies are written.
 */
public final class Connection implements Selectable, Peer {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final EventLoop loop;
  private final SocketChannel channel;
  private final String address;
  private final Runnable onClosed;
  private final ConnectionOutput output = new ConnectionOutput();
  private final Deadlines deadlines = new Deadlines();
  private final TlsUpgrade upgrade;
  private final InputSlices input;
  private final Handler handler;
  private Transport transport;
  private SelectionKey key;
  /** The handler waits on work of its own (a hash, an fsync, a login delay). */
  private boolean handlerPaused;
  private boolean closeAfterFlush;
  private boolean open = true;
  private boolean inCallback;

  /**
   * @param tls how to upgrade to TLS, or null when this server offers none
   * @param handlers makes this connection's handler (a {@link Door#open})
   */
  Connection(EventLoop loop, SocketChannel channel, String address, TlsSupport tls, Function<Peer, Handler> handlers,
      Runnable onClosed) {
    this.loop = loop;
    this.channel = channel;
    this.address = address;
    this.upgrade = new TlsUpgrade(tls);
    this.input = new InputSlices(loop, deadlines, address, this::inputBlocked, upgrade::pending);
    this.onClosed = onClosed;
    this.transport = new PlainTransport(channel);
    this.handler = handlers.apply(this);
  }

  void register() throws IOException {
    key = loop.register(channel, SelectionKey.OP_READ, this);
    enter();
    try {
      handler.onOpen();
    } finally {
      leave();
    }
  }

  @Override
  public void onReady(int readyOps) {
    enter();
    try {
      if ((readyOps & SelectionKey.OP_WRITE) != 0) deadlines.activity();
      if ((readyOps & SelectionKey.OP_READ) != 0 || input.hasKept() || transport.hasBufferedInput()
          || (transport.handshaking() && !transport.busy())) {
        input.serve(transport, handler);
      }
    } catch (SSLException e) {
      log.info("{}: TLS failed: {}", address, LogText.of(String.valueOf(e.getMessage())));
      close();
    } catch (IOException e) {
      log.debug("{}: connection lost: {}", address, e.toString());
      close();
    } finally {
      leave();
    }
  }

  @Override
  public void send(ByteBuffer bytes) {
    if (!open || closeAfterFlush) return;
    output.add(bytes);
    if (!inCallback) settle();
  }

  @Override
  public void pauseInput() {
    handlerPaused = true;
    updateInterest();
  }

  /** Input resumes in a later slice of this connection, never inside this call. */
  @Override
  public void resumeInput() {
    handlerPaused = false;
    if (!inCallback) settle();
  }

  @Override
  public int unhandledInputBytes() {
    return input.keptRemaining();
  }

  @Override
  public void startTls() {
    startTls(null);
  }

  @Override
  public void startTls(Supplier<SSLEngine> engine) {
    upgrade.ask(engine);
    input.drop();
    if (!inCallback) settle();
  }

  @Override
  public byte[] channelBinding() {
    return transport.channelBinding();
  }

  private boolean inputBlocked() {
    return handlerPaused || closeAfterFlush || upgrade.pending() || transport.busy()
        || output.overCap(handler.isLoggedIn());
  }

  /** Streaming starts on the next writable event, never inside this call, so the caller's state is set first. */
  @Override
  public void startStreaming() {
    output.startStreaming();
    updateInterest();
  }

  @Override
  public void closeAfterFlush() {
    closeAfterFlush = true;
    if (!inCallback) settle();
  }

  @Override
  public void touch() {
    deadlines.activity();
  }

  @Override
  public InetAddress localAddress() throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getAddress();
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  private void enter() {
    inCallback = true;
  }

  /** Leaving a callback: write what it queued in one go, so pipelined replies share one syscall. */
  private void leave() {
    inCallback = false;
    settle();
  }

  /**
   * Writes what can be written, then decides what happens next: the TLS upgrade once its go-ahead is out,
   * kept input served again next pass (unless blocked), a finished half-closed client closed, and the
   * selector told what to watch.
   */
  private void settle() {
    flush();
    if (!open) return;
    if (upgrade.pending() && output.queueEmpty()) upgrade.goAheadWritten(this::tlsEngineMade);
    if (!inputBlocked()) {
      if (input.hasKept() || transport.hasBufferedInput()) {
        loop.again(key);
      } else if (input.ended() && !handler.answerPending()) {
        closeAfterFlush = true;
        if (output.written(transport)) {
          close();
          return;
        }
      }
    }
    transport.trim();
    updateInterest();
  }

  /** The engine for the upgrade is back from its helper thread (this runs on the loop): the TLS transport goes in. */
  private void tlsEngineMade(SSLEngine engine, Exception failure) {
    if (!open) return;
    if (failure != null) {
      log.warn("{}: no TLS engine: {}", address, failure.toString());
      close();
      return;
    }
    transport = new TlsTransport(channel, engine, loop, upgrade.handshakes(), address, this::handshakeTaskDone);
    upgrade.done();
    log.debug("{}: TLS handshake starts", address);
    settle();
  }

  /** A handshake task finished off the loop (this runs on the loop): continue the handshake next pass. */
  private void handshakeTaskDone() {
    if (!open) return;
    loop.again(key);
    updateInterest();
  }

  private void flush() {
    if (!open) return;
    try {
      if (!transport.flush()) {
        updateInterest();
        return;
      }
      if (output.write(transport, loop, this::streamSlice)) deadlines.activity();
    } catch (IOException e) {
      log.debug("{}: write failed: {}", address, e.toString());
      close();
      return;
    }
    // Mid-handshake nothing queued can go out any more: closing is all that is left.
    if (closeAfterFlush && (output.written(transport) || transport.handshaking())) close();
  }

  /** One slice of the handler's stream; what it queues (the trailer) is written after it, not from inside it. */
  private boolean streamSlice(Transport out) throws IOException {
    boolean outer = inCallback;
    inCallback = true;
    try {
      return handler.stream(out);
    } finally {
      inCallback = outer;
    }
  }

  private void updateInterest() {
    if (!open || key == null || !key.isValid()) return;
    boolean wantRead = !inputBlocked() && !input.hasKept() && !input.ended();
    boolean wantWrite = output.wantsWrite(transport);
    int ops = (wantRead ? SelectionKey.OP_READ : 0) | (wantWrite ? SelectionKey.OP_WRITE : 0);
    if (key.interestOps() != ops) key.interestOps(ops);
  }

  /**
   * During a graceful shutdown: lets the handler say goodbye to an idle session and closes it; a session
   * with a transfer in flight is left to finish. Returns true when this connection is still open.
   */
  public boolean drain() {
    if (!open) return false;
    if (handler.isTransferring()) return true;
    lastWords(handler::onShutdown);
    return open;
  }

  /**
   * Closes the connection when a deadline has passed: login, idle, or a message started more than
   * {@code messageTimeoutNanos} ago and still incomplete while the server was ready to read it. Called by a
   * periodic sweep.
   */
  public void checkTimeouts(long nowNanos, long loginTimeoutNanos, long idleTimeoutNanos, long messageTimeoutNanos) {
    if (!open) return;
    String why = deadlines.passed(nowNanos, handler.isLoggedIn(), handler.midMessage() && !inputBlocked(),
        loginTimeoutNanos, idleTimeoutNanos, messageTimeoutNanos);
    if (why == null) return;
    log.info("{}: {}, closing", address, why);
    lastWords(() -> handler.onTimeout(why));
  }

  /** What the handler sends now goes out even if a close was already pending; then the connection closes. */
  private void lastWords(Runnable say) {
    closeAfterFlush = false;
    enter();
    try {
      say.run();
      closeAfterFlush = true;
    } finally {
      leave();
    }
  }

  /**
   * Heap this connection holds for the peer's bytes right now: queued output, kept input, the handler's
   * partial message and the transport's buffers. Bounded by {@link ConnectionOutput#cap} plus one reply, one
   * read, the handler's message cap and (over TLS) a few records.
   */
  public long bufferedBytes() {
    return output.bytes() + input.keptBytes() + handler.bufferedBytes() + transport.bufferedBytes();
  }

  @Override
  public void close() {
    if (!open) return;
    open = false;
    output.clear();
    input.close();
    if (key != null) key.cancel();
    transport.close();
    try {
      handler.onClose();
    } finally {
      onClosed.run();
    }
  }

  @Override
  public String toString() {
    return "Connection[" + address + "]";
  }
}
