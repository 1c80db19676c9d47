package dev.selectftp.server.protocol.ftp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts the control connection's bytes into command lines. A line ends at CR or LF; an LF (or Telnet's NUL)
 * right after a CR belongs to the same line end, so CRLF, bare LF and bare CR all end one line. Bare CR has
 * to count: Python's ftplib sends {@code ABOR\r\n} as urgent data, and Linux takes the urgent byte (the LF)
 * out of the stream, so only {@code ABOR\r} arrives and the client waits for the reply.
 *
 * <p>Telnet commands (RFC 854) are taken out: {@code IAC IP}, {@code IAC DM} (the "synch" RFC 959 asks for
 * before ABOR), {@code IAC WILL/WONT/DO/DONT option}; {@code IAC IAC} is a literal 0xFF. An IAC followed by a
 * byte that is no Telnet command is dropped alone and that byte kept: the byte after it went out of band.
 *
 * <p>A line longer than {@link #MAX_LINE_BYTES} is not kept: its bytes are dropped up to its end and it is
 * reported once as too long, so a client sending megabytes without a line end costs at most the cap.
 */
final class LineReader {
  /** Longest command line kept, CRLF included; RFC 959 sets none, 4 KiB holds any path we accept (4096 chars). */
  static final int MAX_LINE_BYTES = 4 * 1024 + 16;
  /** First buffer size: most commands fit, and an idle connection holds no more. */
  private static final int INITIAL_BYTES = 128;
  /** Telnet's "interpret as command" escape (RFC 854). */
  private static final int IAC = 0xFF;
  /** Telnet commands are bytes 240 to 254 after IAC. */
  private static final int FIRST_TELNET_COMMAND = 0xF0;
  /** WILL, WONT, DO, DONT: these take one option byte more. */
  private static final int FIRST_OPTION_COMMAND = 0xFB;

  /** One line: its text without the line end, or {@link #TOO_LONG}. */
  record Line(String text) {}

  /** Reported once for a line over the cap, after its end arrived. */
  static final Line TOO_LONG = new Line(null);

  /** Where the Telnet decoding stands between bytes. */
  private enum Telnet { DATA, AFTER_IAC, OPTION }

  private byte[] buf = new byte[0];
  private int count;
  private boolean discarding;
  /** The last line ended with CR: an LF or NUL next is part of that line end. */
  private boolean afterCr;
  private Telnet telnet = Telnet.DATA;

  /**
   * Consumes bytes of {@code source} up to and including the first line end; returns that line, or null
   * when the line is not complete yet (every byte of {@code source} was then taken).
   */
  Line next(ByteBuffer source) {
    while (source.hasRemaining()) {
      int b = source.get() & 0xFF;
      if (!telnetData(b)) continue;
      boolean followsCr = afterCr;
      afterCr = false;
      if (followsCr && (b == '\n' || b == 0)) continue;
      if (b == '\n' || b == '\r') {
        afterCr = b == '\r';
        return endOfLine();
      }
      if (discarding) continue;
      if (count == MAX_LINE_BYTES) {
        discarding = true;
        count = 0;
        buf = new byte[0];
        continue;
      }
      if (count == buf.length) buf = Arrays.copyOf(buf, Math.min(MAX_LINE_BYTES, Math.max(INITIAL_BYTES, count * 2)));
      buf[count++] = (byte) b;
    }
    return null;
  }

  /** Runs one byte through the Telnet decoding; true when it is data for the line. */
  private boolean telnetData(int b) {
    switch (telnet) {
      case AFTER_IAC:
        if (b == IAC) {
          telnet = Telnet.DATA;
          return true; // IAC IAC: a literal 0xFF
        }
        if (b >= FIRST_OPTION_COMMAND) {
          telnet = Telnet.OPTION;
          return false;
        }
        telnet = Telnet.DATA;
        return b < FIRST_TELNET_COMMAND; // a stray IAC: its command byte went out of band, keep this one
      case OPTION:
        telnet = Telnet.DATA;
        return false;
      default:
        if (b == IAC) {
          telnet = Telnet.AFTER_IAC;
          return false;
        }
        return true;
    }
  }

  private Line endOfLine() {
    if (discarding) {
      discarding = false;
      return TOO_LONG;
    }
    String text = new String(buf, 0, count, StandardCharsets.UTF_8);
    count = 0;
    if (buf.length > INITIAL_BYTES) buf = new byte[0]; // give a long line's buffer back
    return new Line(text);
  }

  /** True while a line has begun and not ended. */
  boolean midLine() {
    return count > 0 || discarding || telnet != Telnet.DATA;
  }

  long bufferedBytes() {
    return buf.length;
  }
}
