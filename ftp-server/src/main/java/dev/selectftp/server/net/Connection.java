package dev.selectftp.server.net;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.FrameDecoder;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Response;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.Selectable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket: turns readiness into frames, raw bytes and writes for its {@link Handler}, keeps a
 * bounded queue of replies, and holds no buffer while idle (reads go through the loop's scratch buffer).
 */
public final class Connection implements Selectable, Peer {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  /** Above this much queued output, stop reading until the client catches up. */
  public static final int MAX_QUEUED_OUTPUT = 256 * 1024;
  /**
   * Reads per readiness event (each up to {@link EventLoop#SCRATCH_BYTES}), so one fast uploader cannot
   * starve the others: two 256 KiB reads, hashed and written, cost about 0.5 ms.
   */
  private static final int READS_PER_EVENT = 2;
  /** Stream slices per writability event, for the same reason. */
  private static final int STREAM_SLICES_PER_EVENT = 2;

  private final EventLoop loop;
  private final SocketChannel channel;
  private final String address;
  private final Runnable onClosed;
  private final FrameDecoder decoder = new FrameDecoder();
  private final Handler handler;
  private SelectionKey key;
  private ArrayDeque<ByteBuffer> output;
  private long queuedBytes;
  private ByteBuffer pendingInput;
  /** The handler waits on work of its own (a hash, an fsync, a login delay). */
  private boolean handlerPaused;
  /** Too much output is queued for a slow reader. */
  private boolean backpressured;
  private boolean streaming;
  private boolean closeAfterFlush;
  private boolean open = true;
  private boolean inCallback;
  private final long openedNanos = System.nanoTime();
  private long lastActivityNanos = openedNanos;

  Connection(EventLoop loop, SocketChannel channel, String address, Function<Peer, Handler> handlers,
      Runnable onClosed) {
    this.loop = loop;
    this.channel = channel;
    this.address = address;
    this.onClosed = onClosed;
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
      if ((readyOps & SelectionKey.OP_READ) != 0) readSome();
      if (open && (readyOps & SelectionKey.OP_WRITE) != 0) lastActivityNanos = System.nanoTime();
    } catch (IOException e) {
      log.debug("{}: connection lost: {}", address, e.toString());
      close();
    } finally {
      leave();
    }
  }

  private void readSome() throws IOException {
    if (pendingInput != null) return; // kept input goes first, in order
    for (int i = 0; i < READS_PER_EVENT && open && !inputBlocked(); i++) {
      ByteBuffer buffer = loop.scratch();
      int n = channel.read(buffer);
      if (n < 0) {
        close();
        return;
      }
      if (n == 0) return;
      lastActivityNanos = System.nanoTime();
      buffer.flip();
      consume(buffer);
      if (buffer.hasRemaining() && open) {
        // The scratch buffer is shared: keep the unconsumed tail privately until input resumes.
        pendingInput = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
        return;
      }
    }
  }

  /** Feeds frames or raw bytes to the handler until the buffer is empty or input is paused. */
  private void consume(ByteBuffer buffer) {
    while (buffer.hasRemaining() && open && !inputBlocked()) {
      if (handler.wantsRaw()) {
        handler.onRaw(buffer);
        continue;
      }
      byte[] frame;
      try {
        frame = decoder.next(buffer);
      } catch (ProtocolException e) {
        log.info("{}: {} ({}), closing", address, e.getMessage(), e.code().code());
        send(Response.Error.of(e.code(), e.getMessage()));
        closeAfterFlush();
        return;
      }
      if (frame == null) return;
      handler.onFrame(frame);
    }
  }

  @Override
  public void send(Response response) {
    if (!open || closeAfterFlush) return;
    ByteBuffer frame = MessageCodec.encode(response);
    if (output == null) output = new ArrayDeque<>(4);
    output.add(frame);
    queuedBytes += frame.remaining();
    if (queuedBytes > MAX_QUEUED_OUTPUT) backpressured = true;
    if (!inCallback) flush();
  }

  @Override
  public void pauseInput() {
    handlerPaused = true;
    updateInterest();
  }

  @Override
  public void resumeInput() {
    handlerPaused = false;
    drainPending();
  }

  private boolean inputBlocked() {
    return handlerPaused || backpressured || closeAfterFlush;
  }

  /** Hands input kept while blocked to the handler, then lets the selector read again. */
  private void drainPending() {
    if (!open || inputBlocked()) return;
    boolean outer = inCallback;
    inCallback = true;
    try {
      ByteBuffer pending = pendingInput;
      if (pending != null) {
        consume(pending);
        if (!pending.hasRemaining() && pendingInput == pending) pendingInput = null;
      }
    } finally {
      inCallback = outer;
    }
    if (!outer) flush();
    else updateInterest();
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
    if (!inCallback) flush();
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
    flush();
  }

  private void flush() {
    if (!open) return;
    try {
      if (output != null && !output.isEmpty()) {
        // Usually one reply is queued: write it as is, and gather only when several wait (pipelining).
        long written = output.size() == 1 ? channel.write(output.peek())
            : channel.write(output.toArray(ByteBuffer[]::new));
        if (written > 0) lastActivityNanos = System.nanoTime();
        queuedBytes -= written;
        while (!output.isEmpty() && !output.peek().hasRemaining()) output.poll();
      }
      if (streaming && (output == null || output.isEmpty())) {
        for (int i = 0; i < STREAM_SLICES_PER_EVENT && streaming; i++) {
          enter();
          try {
            streaming = handler.stream(channel);
          } finally {
            inCallback = false;
          }
          lastActivityNanos = System.nanoTime();
        }
        if (!streaming && output != null && !output.isEmpty()) {
          flush();
          return;
        }
      }
    } catch (IOException e) {
      log.debug("{}: write failed: {}", address, e.toString());
      close();
      return;
    }
    boolean drained = output == null || output.isEmpty();
    if (drained && closeAfterFlush) {
      close();
      return;
    }
    if (backpressured && queuedBytes <= MAX_QUEUED_OUTPUT / 2) {
      backpressured = false;
      drainPending();
      return;
    }
    updateInterest();
  }

  private void updateInterest() {
    if (!open || key == null || !key.isValid()) return;
    boolean wantWrite = (output != null && !output.isEmpty()) || streaming;
    int ops = (inputBlocked() || pendingInput != null ? 0 : SelectionKey.OP_READ) | (wantWrite ? SelectionKey.OP_WRITE : 0);
    if (key.interestOps() != ops) key.interestOps(ops);
  }

  /**
   * During a graceful shutdown: tells an idle session the server is stopping and closes it; a session
   * with a transfer in flight is left to finish. Returns true when this connection is still open.
   */
  public boolean drain() {
    if (!open) return false;
    if (handler.isTransferring()) return true;
    closeAfterFlush = false;
    send(Response.Error.of(ErrorCode.SHUTTING_DOWN, "the server is shutting down"));
    closeAfterFlush();
    return open;
  }

  /** Closes the connection when the login or idle deadline has passed; called by a periodic sweep. */
  public void checkTimeouts(long nowNanos, long loginTimeoutNanos, long idleTimeoutNanos) {
    if (!open) return;
    if (!handler.isLoggedIn() && nowNanos - openedNanos > loginTimeoutNanos) {
      timeout("no login within the login timeout");
    } else if (nowNanos - lastActivityNanos > idleTimeoutNanos) {
      timeout("idle for too long");
    }
  }

  private void timeout(String why) {
    log.info("{}: {}, closing", address, why);
    closeAfterFlush = false;
    send(Response.Error.of(ErrorCode.TIMEOUT, why));
    closeAfterFlush();
  }

  @Override
  public void close() {
    if (!open) return;
    open = false;
    streaming = false;
    output = null;
    pendingInput = null;
    if (key != null) key.cancel();
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("{}: close failed: {}", address, e.toString());
    }
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
