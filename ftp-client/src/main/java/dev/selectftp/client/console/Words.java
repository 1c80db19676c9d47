package dev.selectftp.client.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way a small shell would: blanks separate words, double quotes
 * group blanks into one word, and inside quotes {@code \"} and {@code \\} stand for {@code "} and
 * {@code \}. No other escapes, so Windows-ish local paths survive outside quotes.
 */
public final class Words {
  private Words() {}

  /**
   * Returns the words of {@code line}; an empty or blank line gives an empty list.
   *
   * @throws UsageException when a quote is not closed
   */
  public static List<String> split(String line) throws UsageException {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          quoted = false;
        } else if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quoted) throw new UsageException("unclosed quote");
    if (inWord) words.add(word.toString());
    return words;
  }
}
