package dev.selectftp.client;

import dev.selectftp.common.FrameDecoder;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Response;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The reading half of a {@link Wire}: reply frames and the raw bytes after them, from whichever
 * {@link Transport} the wire uses now. Reply frames are read into {@link #in}, a small direct buffer of its
 * own, and cut by a {@link FrameDecoder}. Raw bytes may arrive in the same TCP segment as the frame before
 * them; they stay in {@link #in} and {@link #raw} hands them out first. Not thread-safe; it does not mark
 * the wire lost itself: the wire does that with whatever this throws.
 */
final class FrameReader {
  /** Reply frames are read through this much; longer frames are reassembled by the decoder. */
  private static final int FRAME_READ_BYTES = 16 * 1024;

  /** Received bytes not yet consumed, in read mode (position to limit). */
  private final ByteBuffer in = ByteBuffer.allocateDirect(FRAME_READ_BYTES).flip();
  private final FrameDecoder decoder = new FrameDecoder();

  /** Reads until one whole reply frame is in, and decodes it. */
  Response next(Transport transport) throws IOException, ProtocolException {
    while (true) {
      // The decoder checks the length before it allocates, and consumes all of `in` when it returns null.
      byte[] payload = decoder.next(in);
      if (payload != null) return MessageCodec.decodeResponse(payload);
      in.clear();
      int n = transport.read(in);
      in.flip();
      if (n < 0) {
        throw new EOFException(decoder.hasPartialFrame()
            ? "server closed the connection in the middle of a reply" : "server closed the connection");
      }
    }
  }

  /**
   * Raw bytes, at least 1 and at most {@code max} (positive), between the returned buffer's position and
   * limit: bytes that came in with the last reply frame (a view of {@link #in}) or, when none are left,
   * one read straight into {@code buffer}, which never asks the transport for more than {@code max}.
   *
   * @throws EOFException when the stream ends first
   */
  ByteBuffer raw(Transport transport, ByteBuffer buffer, long max) throws IOException {
    if (in.hasRemaining()) {
      int take = (int) Math.min(in.remaining(), max);
      ByteBuffer head = in.slice(in.position(), take);
      in.position(in.position() + take);
      return head;
    }
    buffer.clear().limit((int) Math.min(buffer.capacity(), max));
    int n = transport.read(buffer);
    if (n < 0) throw new EOFException("server closed the connection in the middle of a download");
    return buffer.flip();
  }

  /** True when part of a frame was read but not the rest. */
  boolean hasPartialFrame() {
    return decoder.hasPartialFrame();
  }

  /** Drops every byte read but not consumed; returns how many. */
  int dropBuffered() {
    int dropped = in.remaining();
    in.position(in.limit());
    return dropped;
  }
}
