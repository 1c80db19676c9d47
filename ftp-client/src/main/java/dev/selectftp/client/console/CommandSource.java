package dev.selectftp.client.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@link Script}'s commands come from, one at a time: the text of {@code -c} split at {@code ;},
 * the lines of {@code -f FILE}, or lines read from standard input ({@code -f -}, or commands piped into the
 * prompt). Blank lines and lines whose first non-blank character is {@code #} are not commands.
 */
interface CommandSource {
  /** The name {@code -f} takes for standard input. */
  String STDIN = "-";

  /** One command as typed, and where it stood ("line 3 of cmds.txt"), for the error line. */
  record Command(String text, String where) {}

  /** The next command, or null when there are no more. */
  Command next() throws IOException;

  /** The commands of {@code -c}: split at each {@code ;} outside double quotes. */
  static CommandSource ofText(String text) {
    List<Command> commands = new ArrayList<>();
    List<String> parts = splitAtSemicolons(text);
    for (int i = 0; i < parts.size(); i++) {
      if (isCommand(parts.get(i))) commands.add(new Command(parts.get(i).strip(), "command " + (i + 1) + " of -c"));
    }
    return of(commands);
  }

  /** The commands of {@code -f file}, read whole (so a missing file fails before anything runs). */
  static CommandSource ofFile(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (isCommand(lines.get(i))) {
        commands.add(new Command(lines.get(i).strip(), "line " + (i + 1) + " of " + file));
      }
    }
    return of(commands);
  }

  /** Commands read from {@code terminal} as they come, with no prompt printed (piped input, {@code -f -}). */
  static CommandSource ofInput(Terminal terminal) {
    int[] lineNumber = {0};
    return () -> {
      String line;
      do {
        line = terminal.readPlainLine();
        lineNumber[0]++;
      } while (line != null && !isCommand(line));
      return line == null ? null : new Command(line.strip(), "line " + lineNumber[0] + " of the input");
    };
  }

  /**
   * The commands known before the run, checked before the first one runs: all of them for {@code -c} and
   * {@code -f FILE}, none for input read as it comes.
   */
  default List<Command> known() {
    return List.of();
  }

  private static CommandSource of(List<Command> commands) {
    return new CommandSource() {
      private int next;

      @Override
      public Command next() {
        return next < commands.size() ? commands.get(next++) : null;
      }

      @Override
      public List<Command> known() {
        return List.copyOf(commands);
      }
    };
  }

  private static boolean isCommand(String line) {
    String stripped = line.strip();
    return !stripped.isEmpty() && !stripped.startsWith("#");
  }

  /**
   * {@code text} cut at each {@code ;} outside double quotes; inside quotes {@code \"} and {@code \\} are
   * skipped over as {@link Words} reads them, so {@code put "a;b"} stays one command.
   */
  static List<String> splitAtSemicolons(String text) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted && c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ';' && !quoted) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }
}
