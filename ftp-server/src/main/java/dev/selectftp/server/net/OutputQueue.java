package dev.selectftp.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Output (encoded replies) waiting for the socket, oldest first, and their byte count. Holds no array while
 * empty. The owner caps it by stopping input while {@link #bytes()} is over its limit.
 */
final class OutputQueue {
  private ArrayDeque<ByteBuffer> frames;
  private long bytes;

  void add(ByteBuffer frame) {
    if (frames == null) frames = new ArrayDeque<>(4);
    frames.add(frame);
    bytes += frame.remaining();
  }

  boolean isEmpty() {
    return frames == null || frames.isEmpty();
  }

  /** Bytes queued and not yet accepted by the socket. */
  long bytes() {
    return bytes;
  }

  /**
   * Writes as much as the socket takes without blocking (possibly nothing) and drops what was written;
   * returns the bytes written. Usually one reply waits and goes as is; several (pipelining) share one
   * gathering write.
   */
  long writeTo(Transport transport) throws IOException {
    if (isEmpty()) return 0;
    long written = transport.write(frames.toArray(ByteBuffer[]::new));
    bytes -= written;
    while (!frames.isEmpty() && !frames.peek().hasRemaining()) frames.poll();
    if (frames.isEmpty()) frames = null;
    return written;
  }

  void clear() {
    frames = null;
    bytes = 0;
  }
}
