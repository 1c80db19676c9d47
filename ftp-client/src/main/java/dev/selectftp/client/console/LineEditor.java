package dev.selectftp.client.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.Completer;
import org.jline.reader.Reference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.terminal.TerminalBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Line editing on a real terminal (JLine): arrow keys, Ctrl-R search and, for commands, history kept in a
 * file and tab completion. Used only when stdin and stdout are both a terminal; piped input keeps the plain
 * reader of {@link Terminal}. Commands, answers and passwords use separate readers over one terminal so
 * that answers ("o", "y") and passwords never enter the history.
 */
final class LineEditor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LineEditor.class);
  /** Lines kept in the history file; JLine trims the file to this many. */
  static final int HISTORY_LINES = 1000;
  /** JLine prints nothing for a masked character when the mask is this one. */
  private static final char NO_ECHO = '\0';

  private final org.jline.terminal.Terminal terminal;
  private final LineReader answers;
  private final Path historyFile;
  private LineReader commands;
  private Completer completer = NullCompleter.INSTANCE;
  private boolean closed;

  private LineEditor(org.jline.terminal.Terminal terminal, Path historyFile) {
    this.terminal = terminal;
    this.historyFile = historyFile;
    this.answers = LineReaderBuilder.builder().terminal(terminal)
        .variable(LineReader.DISABLE_HISTORY, true)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
    bindArrows(answers);
  }

  /**
   * Binds the arrows' normal-mode sequences too: JLine binds the ones terminfo names (application mode,
   * ESC O A), but some terminals and multiplexers send ESC [ A anyway, which would otherwise print "[A".
   */
  private static LineReader bindArrows(LineReader reader) {
    KeyMap<Binding> keys = reader.getKeyMaps().get(LineReader.EMACS);
    keys.bind(new Reference(LineReader.UP_LINE_OR_HISTORY), "\033[A");
    keys.bind(new Reference(LineReader.DOWN_LINE_OR_HISTORY), "\033[B");
    keys.bind(new Reference(LineReader.FORWARD_CHAR), "\033[C");
    keys.bind(new Reference(LineReader.BACKWARD_CHAR), "\033[D");
    return reader;
  }

  /**
   * Opens the process's terminal, or returns null when JLine cannot (the plain reader is used then).
   *
   * @param historyFileOrNull where commands are kept across runs (made 0600), or null for no history file
   */
  static LineEditor open(Path historyFileOrNull) {
    try {
      // No native signal handlers: Ctrl-C stays with Interrupts (abort a transfer, else leave).
      org.jline.terminal.Terminal terminal = TerminalBuilder.builder().system(true).nativeSignals(false).build();
      return new LineEditor(terminal, prepare(historyFileOrNull));
    } catch (IOException | RuntimeException e) {
      log.info("no line editing, reading plain lines: {}", e.toString());
      return null;
    }
  }

  /** Makes the history file's folder (0700) and the file (0600); null when that fails or none was asked. */
  private static Path prepare(Path file) {
    if (file == null) return null;
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!Files.exists(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      return file;
    } catch (IOException | UnsupportedOperationException e) {
      log.info("history not kept: {}", e.toString());
      return null;
    }
  }

  /** Sets what Tab offers at the command prompt; takes effect at the next command read. */
  void completer(Completer completer) {
    this.completer = completer;
    this.commands = null;
  }

  /** Reads a command with history and completion; null at the end of input (Ctrl-D). */
  String readCommand(String prompt) throws IOException {
    if (commands == null) {
      LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).completer(completer)
          .parser(new CompletionParser())
          .variable(LineReader.HISTORY_SIZE, HISTORY_LINES)
          .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_LINES)
          .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
          .option(LineReader.Option.HISTORY_IGNORE_SPACE, true);
      if (historyFile != null) builder.variable(LineReader.HISTORY_FILE, historyFile);
      else builder.variable(LineReader.DISABLE_HISTORY, true);
      commands = bindArrows(builder.build());
    }
    return read(commands, prompt, null);
  }

  /** Reads an answer (a menu choice, a name): editable, never in the history. */
  String readAnswer(String prompt) throws IOException {
    return read(answers, prompt, null);
  }

  /** Reads a password without echo; never in the history. */
  char[] readSecret(String prompt) throws IOException {
    String line = read(answers, prompt, NO_ECHO);
    return line == null ? null : line.toCharArray();
  }

  private static String read(LineReader reader, String prompt, Character mask) throws IOException {
    try {
      return reader.readLine(prompt, mask);
    } catch (EndOfFileException e) {
      return null;
    } catch (UserInterruptException e) {
      // JLine reads Ctrl-C as a key; outside a transfer it leaves, as the SIGINT of plain reading does.
      log.info("Ctrl-C at the prompt: leaving");
      reader.getTerminal().writer().println();
      reader.getTerminal().flush();
      System.exit(Interrupts.EXIT_ON_INTERRUPT);
      return null; // not reached
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      if (commands != null) commands.getHistory().save();
      terminal.close();
    } catch (IOException e) {
      log.debug("closing the terminal failed", e);
    }
  }
}
