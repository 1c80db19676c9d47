package dev.selectftp.common;

/**
 * Makes text a peer controls safe to put in a log line: user names, paths and messages a client sent may
 * hold newlines (a forged log line), terminal escapes or bidi overrides (a line that reads differently than
 * it is). Every such string goes through {@link #of} before it reaches a logger.
 */
public final class LogText {
  /** Characters kept of one value; the rest is summarised so one request cannot flood the log. */
  public static final int MAX_CHARS = 200;

  private LogText() {}

  /**
   * The text with every control, line-separator and bidi-control character written as {@code \\uXXXX}, a
   * backslash doubled, and anything past {@link #MAX_CHARS} replaced by a count; {@code "null"} for null.
   */
  public static String of(String text) {
    if (text == null) return "null";
    int n = Math.min(text.length(), MAX_CHARS);
    StringBuilder out = null;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean escape = c == '\\' || needsEscape(c);
      if (escape && out == null) out = new StringBuilder(n + 16).append(text, 0, i);
      if (out == null) continue;
      if (c == '\\') out.append("\\\\");
      else if (escape) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    String kept = out == null ? text.substring(0, n) : out.toString();
    return text.length() > MAX_CHARS ? kept + "...(+" + (text.length() - MAX_CHARS) + " chars)" : kept;
  }

  private static boolean needsEscape(char c) {
    return Character.isISOControl(c) // C0, DEL, C1: newlines, escapes
        || c == '\u2028' || c == '\u2029' // line and paragraph separators
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') // bidi overrides
        || c == '\u200e' || c == '\u200f' || c == '\u061c';
  }
}
