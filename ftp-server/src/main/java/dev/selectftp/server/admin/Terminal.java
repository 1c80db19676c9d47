package dev.selectftp.server.admin;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * Where the admin commands read answers and passwords and write their output. On a terminal passwords are
 * read without echo; otherwise (a pipe, a script, a test) everything is read line by line from the input
 * stream, passwords without a prompt and questions as one line on the error stream, so standard output
 * carries only results.
 */
public abstract class Terminal {
  private final PrintWriter out;
  private final PrintWriter err;

  /** For tests that need a scripted terminal; {@link #system()} and {@link #streams} otherwise. */
  protected Terminal(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** The process's terminal when stdin is one, else standard input, output and error. */
  public static Terminal system() {
    Console console = System.console();
    if (console != null && isTerminal(console)) return new OnConsole(console);
    return streams(System.in, System.out, System.err);
  }

  /** Reads from {@code in} line by line (scripts and tests); prompts go to {@code err}. */
  public static Terminal streams(InputStream in, OutputStream out, OutputStream err) {
    return new OnStreams(in, out, err);
  }

  /** Results. */
  public PrintWriter out() {
    return out;
  }

  /** Errors (one line each) and, without a terminal, prompts. */
  public PrintWriter err() {
    return err;
  }

  /** True when a person types at a terminal: passwords are then asked twice. */
  public abstract boolean interactive();

  /** One line without echo on a terminal, else one line of input; null at end of input. */
  public abstract char[] readPassword(String prompt) throws IOException;

  /** One line of input after showing {@code prompt}; null at end of input. */
  public abstract String readLine(String prompt) throws IOException;

  /** JDK 22+ returns a Console even when redirected; it then answers isTerminal() = false. */
  private static boolean isTerminal(Console console) {
    try {
      Method m = Console.class.getMethod("isTerminal");
      return (Boolean) m.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before JDK 22, System.console() is null unless stdin and stdout are a terminal
    }
  }

  private static final class OnConsole extends Terminal {
    private final Console console;

    OnConsole(Console console) {
      super(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
      this.console = console;
    }

    @Override
    public boolean interactive() {
      return true;
    }

    @Override
    public char[] readPassword(String prompt) {
      return console.readPassword("%s", prompt);
    }

    @Override
    public String readLine(String prompt) {
      return console.readLine("%s", prompt);
    }
  }

  private static final class OnStreams extends Terminal {
    private final Reader in;

    OnStreams(InputStream in, OutputStream out, OutputStream err) {
      super(new PrintWriter(out, true), new PrintWriter(err, true));
      // Unbuffered beyond what the reader needs, so each command reads only its own lines.
      this.in = new InputStreamReader(in, Charset.defaultCharset());
    }

    @Override
    public boolean interactive() {
      return false;
    }

    @Override
    public char[] readPassword(String prompt) throws IOException {
      return readLineChars(); // a script pipes the password in; a prompt would only clutter its stderr
    }

    @Override
    public String readLine(String prompt) throws IOException {
      err().println(prompt.strip()); // whole line: what follows on stderr must not run into it
      char[] line = readLineChars();
      return line == null ? null : new String(line);
    }

    /** One line without its terminator ({@code \n} or {@code \r\n}), null at end of input; no String copies. */
    private char[] readLineChars() throws IOException {
      char[] buf = new char[64];
      int n = 0;
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (n == buf.length) {
          char[] bigger = Arrays.copyOf(buf, n * 2);
          Arrays.fill(buf, '\0');
          buf = bigger;
        }
        buf[n++] = (char) c;
      }
      if (c == -1 && n == 0) return null;
      if (n > 0 && buf[n - 1] == '\r') n--;
      char[] line = Arrays.copyOf(buf, n);
      Arrays.fill(buf, '\0');
      return line;
    }
  }
}
