package dev.selectftp.client.console;

import java.io.IOException;

/** The menus' questions: a number from a range, or a line of text, asked again until the answer fits. */
final class Ask {
  /** Marks "the input ended" among the ordinary menu numbers. */
  static final int END_OF_INPUT = -1;

  private final Terminal terminal;

  Ask(Terminal terminal) {
    this.terminal = terminal;
  }

  /** Asks until a whole number in {@code [min, max]} is typed; {@link #END_OF_INPUT} at the end of input. */
  int number(String prompt, int min, int max) throws IOException {
    while (true) {
      String line = terminal.readLine(prompt);
      if (line == null) return END_OF_INPUT;
      String text = line.strip();
      try {
        int n = Integer.parseInt(text);
        if (n >= min && n <= max) return n;
      } catch (NumberFormatException e) {
        // falls through to the explanation below
      }
      terminal.println("'" + text + "' is not a choice; enter a number from " + min + " to " + max);
    }
  }

  /** Asks until something non-blank is typed; null at the end of input. */
  String text(String prompt) throws IOException {
    while (true) {
      String line = terminal.readLine(prompt);
      if (line == null) return null;
      if (!line.isBlank()) return line.strip();
      terminal.println("please type a name");
    }
  }

  /** One line, stripped, possibly empty; null at the end of input. */
  String line(String prompt) throws IOException {
    String line = terminal.readLine(prompt);
    return line == null ? null : line.strip();
  }
}
