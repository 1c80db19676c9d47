package dev.selectftp.client.console;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import org.jline.reader.Completer;

/**
 * The console's only contact with the user: lines in, text out, passwords without echo. Tests build one
 * over a scripted reader and a captured stream. On a real terminal (stdin and stdout both a tty) lines are
 * read through a {@link LineEditor} (JLine: editing, history, completion); piped or scripted input is read
 * as plain lines, exactly as before.
 */
public final class Terminal implements AutoCloseable {
  /** Where the prompt's commands are kept across runs, under the user's home. */
  static final String HISTORY_FILE = ".selectftp/history";
  /** Set to anything to keep no history file (as {@code --no-history}). */
  public static final String NO_HISTORY_ENV = "SELECTFTP_NO_HISTORY";

  private final BufferedReader in;
  private final PrintStream out;
  private final Console console;
  private final boolean live;
  /** True when a person types: the {@code [user] >>>} prompt; false for piped input (a script). */
  private final boolean interactive;
  /** Where JLine keeps history, or null; meaningful only when {@link #editing}. */
  private final Path historyFile;
  /** True on a real terminal: the editor is opened at the first read (one-shot commands never pay for it). */
  private boolean editing;
  private LineEditor editor;

  /**
   * @param console used for passwords when not null; without it a password is a plain line of input
   * @param live true when {@code out} is a screen that can redraw a progress line
   */
  public Terminal(BufferedReader in, PrintStream out, Console console, boolean live) {
    this(in, out, console, live, true);
  }

  /**
   * @param interactive true for a person typing (the prompt is shown, a failure does not end the session),
   *     false for piped input (commands run as a script: no prompt text, the first failure ends the run)
   */
  public Terminal(BufferedReader in, PrintStream out, Console console, boolean live, boolean interactive) {
    this(in, out, console, live, interactive, false, null);
  }

  private Terminal(BufferedReader in, PrintStream out, Console console, boolean live, boolean interactive,
      boolean editing, Path historyFile) {
    this.in = in;
    this.out = out;
    this.console = console;
    this.live = live;
    this.interactive = interactive;
    this.editing = editing;
    this.historyFile = historyFile;
  }

  /** The process's stdin/stdout; live when there is a console, or when {@code forceLive}; with history. */
  public static Terminal system(boolean forceLive) {
    return system(forceLive, true);
  }

  /**
   * The process's stdin/stdout. With a console (both a terminal) lines are edited by JLine, keeping the
   * commands in {@code ~/.selectftp/history} when {@code history} and {@link #NO_HISTORY_ENV} is unset.
   */
  public static Terminal system(boolean forceLive, boolean history) {
    Console console = System.console();
    boolean keep = history && System.getenv(NO_HISTORY_ENV) == null;
    Path file = keep ? Path.of(System.getProperty("user.home"), HISTORY_FILE) : null;
    Charset charset = console != null ? console.charset() : Charset.defaultCharset();
    return new Terminal(new BufferedReader(new InputStreamReader(System.in, charset)), System.out, console,
        forceLive || console != null, console != null, console != null, file);
  }

  /** The line editor when on a real terminal and JLine could open it; null for plain reading. */
  private LineEditor editor() {
    if (editing && editor == null) {
      editor = LineEditor.open(historyFile);
      editing = editor != null;
    }
    return editor;
  }

  /** Sets what Tab offers at the command prompt (a no-op without line editing). */
  void completeWith(Completer completer) {
    if (editor() != null) editor.completer(completer);
  }

  /** Reads a command at the prompt: with history and completion when editing; null at the end of input. */
  public String readCommand(String prompt) throws IOException {
    if (editor() != null) return editor.readCommand(prompt);
    return readLine(prompt);
  }

  /** Reads one line as it comes, printing nothing and never editing (scripts); null at the end of input. */
  String readPlainLine() throws IOException {
    return in.readLine();
  }

  /** True when a person types here; false for piped input, which runs as a script. */
  public boolean interactive() {
    return interactive;
  }

  /** Prints {@code prompt} and reads one line; null at the end of input. Never enters the history. */
  public String readLine(String prompt) throws IOException {
    if (editor() != null) return editor.readAnswer(prompt);
    out.print(prompt);
    out.flush();
    return in.readLine();
  }

  /** Reads a password without echo when there is a console (piped: a plain line, no prompt); null at the end. */
  public char[] readPassword(String prompt) throws IOException {
    if (editor() != null) return editor.readSecret(prompt);
    if (console != null) return console.readPassword("%s", prompt);
    // Piped: the first line is the password, and a script's output stays free of prompt text.
    String line = interactive ? readLine(prompt) : readPlainLine();
    return line == null ? null : line.toCharArray();
  }

  public void println(String line) {
    out.println(line);
  }

  public PrintStream out() {
    return out;
  }

  /** True when a progress line can be redrawn in place. */
  public boolean live() {
    return live;
  }

  /** Saves the history and gives the terminal back as it was; safe twice. */
  @Override
  public void close() {
    if (editor != null) editor.close();
  }
}
