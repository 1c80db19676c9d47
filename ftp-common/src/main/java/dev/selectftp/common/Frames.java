package dev.selectftp.common;

/** Limits of the framing layer: a 4-byte big-endian length followed by that many bytes of UTF-8 JSON. */
public final class Frames {
  /** Bytes in the length prefix. */
  public static final int HEADER_BYTES = 4;
  /** Hard cap on one frame's JSON payload, checked before anything is allocated. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;
  /**
   * Cap on a frame before login. Every request allowed then (auth-start, auth-finish, register, stats, quit)
   * fits in a few hundred bytes, so an anonymous peer can make the server hold at most this much of a frame.
   */
  public static final int MAX_FRAME_BYTES_BEFORE_LOGIN = 4 * 1024;

  private Frames() {}
}
