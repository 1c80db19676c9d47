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
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket: turns readiness into reads, writes and stream slices for its {@link Handler}, over a
 * {@link Transport} (plain text, or TLS after {@link #startTls}). It knows no protocol: the handler says how
 * much to read, what a request is and what to say when the connection times out or the server stops.
 *
 * <p>Fair share: each {@link #onReady} serves one slice: at most {@link ConnectionLimits#REQUESTS_PER_SLICE}
 * requests (the handler reports each one), {@link ConnectionLimits#READ_BYTES_PER_SLICE} bytes read, and the
 * loop's slice time. Input left at the end of a slice is kept and the connection asks the loop to serve it
 * again next pass ({@link EventLoop#again}); handling never resumes from inside a write or a resume call,
 * only in a slice.
 *
 * <p>Bounded memory whatever the peer does (figures in {@link ConnectionLimits}): output queued beyond
 * {@link #outputCap()} stops input until the client reads; a read takes at most the handler's
 * {@link Handler#readWindow()}, so the kept tail is no larger; a message started must complete within the
 * message timeout. Idle, it holds no buffer: reads go through the loop's scratch buffer, and the transport
 * gives back its buffers when they are empty.
 *
 * <p>Half-close: after the client's FIN, every request read before it is still answered; the connection
 * closes once the replies are written.
 */
public final class Connection implements Selectable, Peer {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  /** Stream slices per writability event, for the same reason as {@link ConnectionLimits#READ_BYTES_PER_SLICE}. */
  private static final int STREAM_SLICES_PER_EVENT = 2;

  private final EventLoop loop;
  private final SocketChannel channel;
  private final String address;
  private final Runnable onClosed;
  private final TlsSupport tls;
  private final OutputQueue output = new OutputQueue();
  private final Handler handler;
  private Transport transport;
  private SelectionKey key;
  /** Input read but not yet handled when a slice ended or input was paused; at most one read's worth. */
  private ByteBuffer kept;
  /** The handler waits on work of its own (a hash, an fsync, a login delay). */
  private boolean handlerPaused;
  /** The client sent its FIN: no more reads; close once what was read is answered. */
  private boolean inputEnded;
  /** {@link #startTls} was called: input waits until the go-ahead is written and the TLS transport is in. */
  private boolean upgrading;
  private boolean streaming;
  private boolean closeAfterFlush;
  private boolean open = true;
  private boolean inCallback;
  private int sliceRequests;
  private final long openedNanos = System.nanoTime();
  private long lastActivityNanos = openedNanos;
  /** When the handler's current message began to arrive, or 0 when it is between messages. */
  private long messageStartedNanos;

  /**
   * @param tls how to upgrade to TLS, or null when this server offers none
   * @param handlers makes this connection's handler (a {@link Door#open})
   */
  Connection(EventLoop loop, SocketChannel channel, String address, TlsSupport tls, Function<Peer, Handler> handlers,
      Runnable onClosed) {
    this.loop = loop;
    this.channel = channel;
    this.address = address;
    this.tls = tls;
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
      if ((readyOps & SelectionKey.OP_WRITE) != 0) lastActivityNanos = System.nanoTime();
      if ((readyOps & SelectionKey.OP_READ) != 0 || kept != null || transport.hasBufferedInput()
          || (transport.handshaking() && !transport.busy())) {
        serveSlice();
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

  /** One slice: kept input first, then reads, until a bound of the slice is reached or input blocks. */
  private void serveSlice() throws IOException {
    sliceRequests = 0;
    long read = 0;
    while (open && !inputBlocked()) {
      ByteBuffer source = kept;
      if (source == null) {
        if (inputEnded || read >= ConnectionLimits.READ_BYTES_PER_SLICE) return;
        source = loop.scratch();
        source.limit(Math.min(source.capacity(), Math.max(1, handler.readWindow())));
        int n = transport.read(source);
        if (n < 0) {
          log.debug("{}: client finished sending", address);
          inputEnded = true;
          return;
        }
        if (n == 0) return;
        read += n;
        lastActivityNanos = System.nanoTime();
        source.flip();
      }
      consume(source);
      if (upgrading) {
        // Whatever came after the request to upgrade is never handled (the STARTTLS injection class).
        source.position(source.limit());
        kept = null;
        return;
      }
      if (source == kept) {
        if (!kept.hasRemaining()) kept = null;
      } else if (source.hasRemaining() && open) {
        // The scratch buffer is shared: keep the unhandled tail (at most one read) for the next slice.
        kept = ByteBuffer.allocate(source.remaining()).put(source).flip();
      }
      if (sliceSpent()) return;
    }
  }

  private boolean sliceSpent() {
    return sliceRequests >= ConnectionLimits.REQUESTS_PER_SLICE || loop.sliceExpired();
  }

  /** Offers input to the handler until it is used up, input blocks, the handler takes no more, or the slice ends. */
  private void consume(ByteBuffer buffer) {
    while (buffer.hasRemaining() && open && !inputBlocked()) {
      if (sliceRequests >= ConnectionLimits.REQUESTS_PER_SLICE || (sliceRequests > 0 && loop.sliceExpired())) return;
      int before = buffer.position();
      boolean request = handler.onInput(buffer);
      if (request) sliceRequests++;
      if (handler.midMessage()) {
        if (messageStartedNanos == 0) messageStartedNanos = System.nanoTime();
      } else {
        messageStartedNanos = 0;
      }
      if (!request && buffer.position() == before) return; // the handler wants no more now
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
  public void startTls() {
    startTls(null);
  }

  @Override
  public void startTls(java.util.function.Supplier<javax.net.ssl.SSLEngine> engine) {
    if (tls == null) throw new IllegalStateException("TLS is not configured");
    if (upgrading || !(transport instanceof PlainTransport)) throw new IllegalStateException("TLS already started");
    upgrading = true;
    engineSource = engine;
    kept = null;
    if (!inCallback) settle();
  }

  @Override
  public byte[] channelBinding() {
    return transport.channelBinding();
  }

  /** Replies beyond this stop input: small before login, one listing's worth after. */
  private long outputCap() {
    return handler.isLoggedIn() ? ConnectionLimits.MAX_QUEUED_OUTPUT : ConnectionLimits.MAX_QUEUED_OUTPUT_BEFORE_LOGIN;
  }

  private boolean inputBlocked() {
    return handlerPaused || closeAfterFlush || upgrading || transport.busy() || output.bytes() > outputCap();
  }

  /** Streaming starts on the next writable event, never inside this call, so the caller's state is set first. */
  @Override
  public void startStreaming() {
    streaming = true;
    updateInterest();
  }

  @Override
  public void closeAfterFlush() {
    closeAfterFlush = true;
    if (!inCallback) settle();
  }

  @Override
  public void touch() {
    lastActivityNanos = System.nanoTime();
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
    if (upgrading && output.isEmpty()) upgrade();
    if (!inputBlocked()) {
      if (kept != null || transport.hasBufferedInput()) {
        loop.again(key);
      } else if (inputEnded && !handler.answerPending()) {
        closeAfterFlush = true;
        if (output.isEmpty() && !streaming && !transport.hasPendingOutput()) {
          close();
          return;
        }
      }
    }
    transport.trim();
    updateInterest();
  }

  /**
   * The go-ahead is out: the engine is made on a helper thread (making one costs the loop about 100 us) and
   * the TLS transport goes in when it is back; input stays blocked meanwhile.
   */
  private void upgrade() {
    if (engineRequested) return;
    engineRequested = true;
    java.util.function.Supplier<javax.net.ssl.SSLEngine> source = engineSource != null ? engineSource
        : tls.engines()::newServerEngine;
    tls.handshakes().run(source::get, (engine, failure) -> {
      if (!open) return;
      if (failure != null) {
        log.warn("{}: no TLS engine: {}", address, failure.toString());
        close();
        return;
      }
      transport = new TlsTransport(channel, engine, loop, tls.handshakes(), address, this::handshakeTaskDone);
      upgrading = false;
      log.debug("{}: TLS handshake starts", address);
      settle();
    });
  }

  /** The TLS engine was asked for; {@link #upgrading} ends when it arrives. */
  private boolean engineRequested;
  /** Where {@link #upgrade} gets the engine: the handler's, or null for the server's shared source. */
  private java.util.function.Supplier<javax.net.ssl.SSLEngine> engineSource;

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
      if (output.writeTo(transport) > 0) lastActivityNanos = System.nanoTime();
      if (streaming && output.isEmpty() && !transport.hasPendingOutput()) {
        for (int i = 0; i < STREAM_SLICES_PER_EVENT && streaming && (i == 0 || !loop.sliceExpired()); i++) {
          boolean outer = inCallback;
          inCallback = true; // what the stream queues (the trailer) is written below, not from inside it
          try {
            streaming = handler.stream(transport);
          } finally {
            inCallback = outer;
          }
          lastActivityNanos = System.nanoTime();
          if (transport.hasPendingOutput()) break;
        }
        if (!streaming && output.writeTo(transport) > 0) lastActivityNanos = System.nanoTime();
      }
    } catch (IOException e) {
      log.debug("{}: write failed: {}", address, e.toString());
      close();
      return;
    }
    boolean done = output.isEmpty() && !streaming && !transport.hasPendingOutput();
    // Mid-handshake nothing queued can go out any more: closing is all that is left.
    if (closeAfterFlush && (done || transport.handshaking())) close();
  }

  private void updateInterest() {
    if (!open || key == null || !key.isValid()) return;
    boolean wantRead = !inputBlocked() && kept == null && !inputEnded;
    boolean wantWrite = !output.isEmpty() || streaming || transport.hasPendingOutput();
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
    if (!handler.isLoggedIn() && nowNanos - openedNanos > loginTimeoutNanos) {
      timeout("no login within the login timeout");
    } else if (messageStartedNanos != 0 && handler.midMessage() && !inputBlocked()
        && nowNanos - messageStartedNanos > messageTimeoutNanos) {
      timeout("a frame took too long to arrive");
    } else if (nowNanos - lastActivityNanos > idleTimeoutNanos) {
      timeout("idle for too long");
    }
  }

  private void timeout(String why) {
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
   * partial message and the transport's buffers. Bounded by {@link #outputCap()} plus one reply, one read,
   * the handler's message cap and (over TLS) a few records.
   */
  public long bufferedBytes() {
    return output.bytes() + (kept == null ? 0 : kept.capacity()) + handler.bufferedBytes() + transport.bufferedBytes();
  }

  @Override
  public void close() {
    if (!open) return;
    open = false;
    streaming = false;
    output.clear();
    kept = null;
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
