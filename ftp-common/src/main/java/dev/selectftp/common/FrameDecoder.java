package dev.selectftp.common;

import java.nio.ByteBuffer;

/**
 * Reassembles length-prefixed frames from bytes that arrive in arbitrary pieces.
 *
 * <p>Idle, it holds only a 4-byte header. The payload array grows with the bytes that actually arrived
 * (doubling, never past the validated length), not with the length the header announces, so a peer that
 * announces a large frame and then sends one byte makes it hold one byte. Not thread-safe: one decoder per
 * connection, used by one thread.
 */
public final class FrameDecoder {
  private final byte[] header = new byte[Frames.HEADER_BYTES];
  private int headerFilled;
  /** Announced payload length once the header is complete, else -1. */
  private int length = -1;
  private byte[] payload;
  private int payloadFilled;

  /** {@link #next(ByteBuffer, int)} with the protocol's overall cap, {@link Frames#MAX_FRAME_BYTES}. */
  public byte[] next(ByteBuffer source) throws ProtocolException {
    return next(source, Frames.MAX_FRAME_BYTES);
  }

  /**
   * Consumes bytes from {@code source} up to the end of the next frame and returns that frame's payload,
   * or null when {@code source} ran out first (the partial frame is kept for the next call). Bytes after
   * the returned frame stay in {@code source}.
   *
   * @param maxFrameBytes the largest payload accepted for a frame whose header completes in this call (a
   *     frame already announced keeps the cap it was checked against); at most {@link Frames#MAX_FRAME_BYTES}
   * @throws ProtocolException with {@link ErrorCode#BAD_FRAME} or {@link ErrorCode#FRAME_TOO_LARGE} when
   *     the length prefix is invalid; the stream cannot be resynchronised after that.
   */
  public byte[] next(ByteBuffer source, int maxFrameBytes) throws ProtocolException {
    if (length < 0) {
      int take = Math.min(Frames.HEADER_BYTES - headerFilled, source.remaining());
      source.get(header, headerFilled, take);
      headerFilled += take;
      if (headerFilled < Frames.HEADER_BYTES) return null;
      int announced = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16)
          | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
      if (announced < 0) {
        throw new ProtocolException(ErrorCode.BAD_FRAME, "negative frame length " + announced);
      }
      int cap = Math.min(maxFrameBytes, Frames.MAX_FRAME_BYTES);
      if (announced > cap) {
        throw new ProtocolException(ErrorCode.FRAME_TOO_LARGE,
            "frame of " + announced + " bytes is over the " + cap + "-byte limit");
      }
      length = announced;
      payload = null;
      payloadFilled = 0;
    }
    int take = Math.min(length - payloadFilled, source.remaining());
    ensureRoom(payloadFilled + take);
    source.get(payload, payloadFilled, take);
    payloadFilled += take;
    if (payloadFilled < length) return null;
    byte[] frame = payload;
    payload = null;
    length = -1;
    headerFilled = 0;
    return frame;
  }

  /**
   * Makes the payload array hold at least {@code needed} bytes: at least double the old size (so a frame
   * arriving in many pieces is copied O(log n) times) but never more than the announced length, so a
   * complete frame is returned without a final copy.
   */
  private void ensureRoom(int needed) {
    int capacity = payload == null ? 0 : payload.length;
    if (payload != null && needed <= capacity) return;
    int grown = Math.min(length, Math.max(needed, capacity * 2));
    byte[] bigger = new byte[grown];
    if (payload != null) System.arraycopy(payload, 0, bigger, 0, payloadFilled);
    payload = bigger;
  }

  /** True when part of a frame has been consumed but not yet returned. */
  public boolean hasPartialFrame() {
    return headerFilled > 0;
  }

  /** Heap this decoder holds for a partial frame beyond its fixed header: the payload array's size. */
  public int bufferedBytes() {
    return payload == null ? 0 : payload.length;
  }
}
