package dev.selectftp.server.protocol.ftp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** FTP replies as bytes (RFC 959 section 4.2): {@code 250 text} or a multi-line {@code 211-...} to {@code 211 End}. */
final class Replies {
  private Replies() {}

  /** One line; CR and LF in {@code text} (a name the client chose) become spaces, so no reply is forged. */
  static ByteBuffer line(int code, String text) {
    return bytes(code + " " + clean(text) + "\r\n");
  }

  /**
   * A multi-line reply: {@code code-first}, the middle lines each indented by one space (so none can look
   * like a reply's last line), then {@code code last}.
   */
  static ByteBuffer multi(int code, String first, List<String> middle, String last) {
    StringBuilder out = new StringBuilder().append(code).append('-').append(clean(first)).append("\r\n");
    for (String m : middle) out.append(' ').append(clean(m)).append("\r\n");
    out.append(code).append(' ').append(clean(last)).append("\r\n");
    return bytes(out.toString());
  }

  /** A path in a 257 reply: quoted, an inner quote doubled (RFC 959 appendix II). */
  static String quoted(String path) {
    return '"' + path.replace("\"", "\"\"") + '"';
  }

  private static String clean(String text) {
    return text.replace('\r', ' ').replace('\n', ' ');
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }
}
