package dev.selectftp.server.protocol.ftp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts the control connection's bytes into command lines ending in CRLF (a bare LF is taken too, as most
 * servers do). A line longer than {@link #MAX_LINE_BYTES} is not kept: its bytes are dropped up to its end and
 * it is reported once as too long, so a client sending megabytes without a line end costs at most the cap.
 */
final class LineReader {
  /** Longest command line kept, CRLF included; RFC 959 sets none, 4 KiB holds any path we accept (4096 chars). */
  static final int MAX_LINE_BYTES = 4 * 1024 + 16;
  /** First buffer size: most commands fit, and an idle connection holds no more. */
  private static final int INITIAL_BYTES = 128;

  /** One line: its text without the line end, or {@link #TOO_LONG}. */
  record Line(String text) {}

  /** Reported once for a line over the cap, after its end arrived. */
  static final Line TOO_LONG = new Line(null);

  private byte[] buf = new byte[0];
  private int count;
  private boolean discarding;

  /**
   * Consumes bytes of {@code source} up to and including the first line end; returns that line, or null
   * when the line is not complete yet (every byte of {@code source} was then taken).
   */
  Line next(ByteBuffer source) {
    while (source.hasRemaining()) {
      byte b = source.get();
      if (b == '\n') {
        if (discarding) {
          discarding = false;
          return TOO_LONG;
        }
        int end = count > 0 && buf[count - 1] == '\r' ? count - 1 : count;
        String text = new String(buf, 0, end, StandardCharsets.UTF_8);
        count = 0;
        if (buf.length > INITIAL_BYTES) buf = new byte[0]; // give a long line's buffer back
        return new Line(text);
      }
      if (discarding) continue;
      if (count == MAX_LINE_BYTES) {
        discarding = true;
        count = 0;
        buf = new byte[0];
        continue;
      }
      if (count == buf.length) buf = Arrays.copyOf(buf, Math.min(MAX_LINE_BYTES, Math.max(INITIAL_BYTES, count * 2)));
      buf[count++] = b;
    }
    return null;
  }

  /** True while a line has begun and not ended. */
  boolean midLine() {
    return count > 0 || discarding;
  }

  long bufferedBytes() {
    return buf.length;
  }
}
