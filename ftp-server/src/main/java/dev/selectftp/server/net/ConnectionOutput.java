package dev.selectftp.server.net;

import dev.selectftp.server.loop.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a {@link Connection} sends, in order: queued replies ({@link OutputQueue}), then, once none wait, the
 * handler's stream (a download, a listing) a slice at a time. Replies queued beyond {@link #cap} stop the
 * connection's input until the client reads. Loop-thread confined.
 */
final class ConnectionOutput {
  /** Stream slices per writability event, for the same reason as {@link ConnectionLimits#READ_BYTES_PER_SLICE}. */
  private static final int STREAM_SLICES_PER_EVENT = 2;

  /** One slice of the handler's stream. */
  interface Stream {
    /** Writes some bytes of the stream to {@code out}; returns true while more remain (see {@link Handler#stream}). */
    boolean slice(Transport out) throws IOException;
  }

  private final OutputQueue queue = new OutputQueue();
  private boolean streaming;

  /** Queues {@code bytes} (taken over, not copied) behind what waits. */
  void add(ByteBuffer bytes) {
    queue.add(bytes);
  }

  /** Replies beyond this stop input: small before login, one listing's worth after. */
  static long cap(boolean loggedIn) {
    return loggedIn ? ConnectionLimits.MAX_QUEUED_OUTPUT : ConnectionLimits.MAX_QUEUED_OUTPUT_BEFORE_LOGIN;
  }

  /** True while more replies are queued than {@link #cap} allows. */
  boolean overCap(boolean loggedIn) {
    return queue.bytes() > cap(loggedIn);
  }

  boolean queueEmpty() {
    return queue.isEmpty();
  }

  /** Heap held by queued replies. */
  long bytes() {
    return queue.bytes();
  }

  /** The stream starts once the queued replies are written. */
  void startStreaming() {
    streaming = true;
  }

  boolean streaming() {
    return streaming;
  }

  /**
   * Writes what the socket takes without blocking: queued replies first; once none wait and the transport
   * holds nothing of its own, up to {@link #STREAM_SLICES_PER_EVENT} stream slices while the loop's slice
   * lasts (stopping when the transport holds back records), then what the stream's end queued (its
   * trailer). Returns true when anything moved: bytes written or a stream slice run.
   */
  boolean write(Transport transport, EventLoop loop, Stream stream) throws IOException {
    boolean moved = queue.writeTo(transport) > 0;
    if (streaming && queue.isEmpty() && !transport.hasPendingOutput()) {
      for (int i = 0; i < STREAM_SLICES_PER_EVENT && streaming && (i == 0 || !loop.sliceExpired()); i++) {
        streaming = stream.slice(transport);
        moved = true;
        if (transport.hasPendingOutput()) break;
      }
      if (!streaming && queue.writeTo(transport) > 0) moved = true;
    }
    return moved;
  }

  /** True when something waits to be written: a queued reply, a stream, or the transport's own records. */
  boolean wantsWrite(Transport transport) {
    return !queue.isEmpty() || streaming || transport.hasPendingOutput();
  }

  /** True when all is written: no queued reply, no stream, nothing in the transport. */
  boolean written(Transport transport) {
    return !wantsWrite(transport);
  }

  void clear() {
    streaming = false;
    queue.clear();
  }
}
