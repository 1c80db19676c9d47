package dev.selectftp.server.net;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.FrameDecoder;
import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Response;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.Selectable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket: turns readiness into frames, raw bytes and writes for its {@link Handler}.
 *
 * <p>Fair share: each {@link #onReady} serves one slice: at most {@link ConnectionLimits#FRAMES_PER_SLICE}
 * requests, {@link ConnectionLimits#READ_BYTES_PER_SLICE} bytes read, and the loop's slice time. Input left
 * at the end of a slice is kept and the connection asks the loop to serve it again next pass
 * ({@link EventLoop#again}); handling never resumes from inside a write or a resume call, only in a slice.
 *
 * <p>Bounded memory whatever the peer does (figures in {@link ConnectionLimits}): replies queued beyond
 * {@link #outputCap()} stop input until the client reads; in frame mode a read takes at most
 * {@link ConnectionLimits#FRAME_READ_BYTES}, so the kept tail is no larger; in raw mode it takes no more
 * than the handler still wants; the decoder grows with the bytes that arrived, up to the handler's
 * {@link Handler#maxFrameBytes()}; a frame started must complete within the frame timeout. Idle, it holds
 * no buffer (reads go through the loop's scratch buffer).
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
  private final FrameDecoder decoder = new FrameDecoder();
  private final OutputQueue output = new OutputQueue();
  private final Handler handler;
  private SelectionKey key;
  /** Input read but not yet handled when a slice ended or input was paused; at most one read's worth. */
  private ByteBuffer kept;
  /** The handler waits on work of its own (a hash, an fsync, a login delay). */
  private boolean handlerPaused;
  /** The client sent its FIN: no more reads; close once what was read is answered. */
  private boolean inputEnded;
  private boolean streaming;
  private boolean closeAfterFlush;
  private boolean open = true;
  private boolean inCallback;
  private int sliceFrames;
  private final long openedNanos = System.nanoTime();
  private long lastActivityNanos = openedNanos;
  private long frameStartedNanos;

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
      if ((readyOps & SelectionKey.OP_WRITE) != 0) lastActivityNanos = System.nanoTime();
      if ((readyOps & SelectionKey.OP_READ) != 0 || kept != null) serveSlice();
    } catch (IOException e) {
      log.debug("{}: connection lost: {}", address, e.toString());
      close();
    } finally {
      leave();
    }
  }

  /** One slice: kept input first, then reads, until a bound of the slice is reached or input blocks. */
  private void serveSlice() throws IOException {
    sliceFrames = 0;
    long read = 0;
    while (open && !inputBlocked()) {
      ByteBuffer source = kept;
      if (source == null) {
        if (inputEnded || read >= ConnectionLimits.READ_BYTES_PER_SLICE) return;
        source = loop.scratch();
        long raw = handler.rawBytesWanted();
        long window = raw > 0 ? raw
            : Math.min(ConnectionLimits.FRAME_READ_BYTES, handler.maxFrameBytes() + Frames.HEADER_BYTES);
        source.limit((int) Math.min(source.capacity(), window));
        int n = channel.read(source);
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
      if (source == kept) {
        if (!kept.hasRemaining()) kept = null;
      } else if (source.hasRemaining() && open) {
        // The scratch buffer is shared: keep the unhandled tail (at most one read) for the next slice.
        kept = ByteBuffer.allocate(source.remaining()).put(source).flip();
      }
      if (sliceFrames >= ConnectionLimits.FRAMES_PER_SLICE || loop.sliceExpired()) return;
    }
  }

  /** Feeds frames or raw bytes to the handler until the buffer is empty, input blocks or the slice ends. */
  private void consume(ByteBuffer buffer) {
    while (buffer.hasRemaining() && open && !inputBlocked()) {
      if (handler.rawBytesWanted() > 0) {
        handler.onRaw(buffer);
        continue;
      }
      if (sliceFrames >= ConnectionLimits.FRAMES_PER_SLICE || (sliceFrames > 0 && loop.sliceExpired())) return;
      boolean continuing = decoder.hasPartialFrame();
      byte[] frame;
      try {
        frame = decoder.next(buffer, handler.maxFrameBytes());
      } catch (ProtocolException e) {
        log.info("{}: {} ({}), closing", address, e.getMessage(), e.code().code());
        send(Response.Error.of(e.code(), e.getMessage()));
        closeAfterFlush();
        return;
      }
      if (frame == null) {
        if (!continuing && decoder.hasPartialFrame()) frameStartedNanos = System.nanoTime();
        return;
      }
      sliceFrames++;
      handler.onFrame(frame);
    }
  }

  @Override
  public void send(Response response) {
    if (!open || closeAfterFlush) return;
    output.add(MessageCodec.encode(response));
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

  /** Replies beyond this stop input: small before login, one listing's worth after. */
  private long outputCap() {
    return handler.isLoggedIn() ? ConnectionLimits.MAX_QUEUED_OUTPUT : ConnectionLimits.MAX_QUEUED_OUTPUT_BEFORE_LOGIN;
  }

  private boolean inputBlocked() {
    return handlerPaused || closeAfterFlush || output.bytes() > outputCap();
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
   * Writes what can be written, then decides what happens next: kept input is served again next pass
   * (unless blocked), a finished half-closed client is closed, and the selector is told what to watch.
   */
  private void settle() {
    flush();
    if (!open) return;
    if (!inputBlocked()) {
      if (kept != null) {
        loop.again(key);
      } else if (inputEnded) {
        closeAfterFlush = true;
        if (output.isEmpty() && !streaming) {
          close();
          return;
        }
      }
    }
    updateInterest();
  }

  private void flush() {
    if (!open) return;
    try {
      if (output.writeTo(channel) > 0) lastActivityNanos = System.nanoTime();
      if (streaming && output.isEmpty()) {
        for (int i = 0; i < STREAM_SLICES_PER_EVENT && streaming && (i == 0 || !loop.sliceExpired()); i++) {
          boolean outer = inCallback;
          inCallback = true; // what the stream queues (the trailer) is written below, not from inside it
          try {
            streaming = handler.stream(channel);
          } finally {
            inCallback = outer;
          }
          lastActivityNanos = System.nanoTime();
        }
        if (!streaming && output.writeTo(channel) > 0) lastActivityNanos = System.nanoTime();
      }
    } catch (IOException e) {
      log.debug("{}: write failed: {}", address, e.toString());
      close();
      return;
    }
    if (closeAfterFlush && output.isEmpty() && !streaming) close();
  }

  private void updateInterest() {
    if (!open || key == null || !key.isValid()) return;
    boolean wantRead = !inputBlocked() && kept == null && !inputEnded;
    boolean wantWrite = !output.isEmpty() || streaming;
    int ops = (wantRead ? SelectionKey.OP_READ : 0) | (wantWrite ? SelectionKey.OP_WRITE : 0);
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

  /**
   * Closes the connection when a deadline has passed: login, idle, or a frame started more than
   * {@code frameTimeoutNanos} ago and still incomplete while the server was ready to read it. Called by a
   * periodic sweep.
   */
  public void checkTimeouts(long nowNanos, long loginTimeoutNanos, long idleTimeoutNanos, long frameTimeoutNanos) {
    if (!open) return;
    if (!handler.isLoggedIn() && nowNanos - openedNanos > loginTimeoutNanos) {
      timeout("no login within the login timeout");
    } else if (decoder.hasPartialFrame() && !inputBlocked() && nowNanos - frameStartedNanos > frameTimeoutNanos) {
      timeout("a frame took too long to arrive");
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

  /**
   * Heap this connection holds for the peer's bytes right now: queued replies, kept input and the partial
   * frame. Bounded by {@link #outputCap()} plus one reply, {@link ConnectionLimits#FRAME_READ_BYTES} and the frame cap.
   */
  public long bufferedBytes() {
    return output.bytes() + (kept == null ? 0 : kept.capacity()) + decoder.bufferedBytes();
  }

  @Override
  public void close() {
    if (!open) return;
    open = false;
    streaming = false;
    output.clear();
    kept = null;
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
