package dev.selectftp.common;

import java.nio.ByteBuffer;

/**
 * Reassembles length-prefixed frames from bytes that arrive in arbitrary pieces.
 *
 * <p>Idle, it holds only a 4-byte header; the payload array is allocated with the exact validated length
 * once the header is complete, so an unchecked length never reaches an allocation. Not thread-safe: one
 * decoder per connection, used by one thread.
 */
public final class FrameDecoder {
  private final byte[] header = new byte[Frames.HEADER_BYTES];
  private int headerFilled;
  private byte[] payload;
  private int payloadFilled;

  /**
   * Consumes bytes from {@code source} up to the end of the next frame and returns that frame's payload,
   * or null when {@code source} ran out first (the partial frame is kept for the next call). Bytes after
   * the returned frame stay in {@code source}.
   *
   * @throws ProtocolException with {@link ErrorCode#BAD_FRAME} or {@link ErrorCode#FRAME_TOO_LARGE} when
   *     the length prefix is invalid; the stream cannot be resynchronised after that.
   */
  public byte[] next(ByteBuffer source) throws ProtocolException {
    if (payload == null) {
      int take = Math.min(Frames.HEADER_BYTES - headerFilled, source.remaining());
      source.get(header, headerFilled, take);
      headerFilled += take;
      if (headerFilled < Frames.HEADER_BYTES) return null;
      int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16)
          | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
      if (length < 0) {
        throw new ProtocolException(ErrorCode.BAD_FRAME, "negative frame length " + length);
      }
      if (length > Frames.MAX_FRAME_BYTES) {
        throw new ProtocolException(ErrorCode.FRAME_TOO_LARGE,
            "frame of " + length + " bytes is over the " + Frames.MAX_FRAME_BYTES + "-byte limit");
      }
      payload = new byte[length];
      payloadFilled = 0;
    }
    int take = Math.min(payload.length - payloadFilled, source.remaining());
    source.get(payload, payloadFilled, take);
    payloadFilled += take;
    if (payloadFilled < payload.length) return null;
    byte[] frame = payload;
    payload = null;
    headerFilled = 0;
    return frame;
  }

  /** True when part of a frame has been consumed but not yet returned. */
  public boolean hasPartialFrame() {
    return headerFilled > 0;
  }
}
