package dev.selectftp.client.console;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The console's only contact with the user: lines in, text out, passwords without echo. Tests build one
 * over a scripted reader and a captured stream.
 */
public final class Terminal {
  private final BufferedReader in;
  private final PrintStream out;
  private final Console console;
  private final boolean live;

  /**
   * @param console used for passwords when not null; without it a password is a plain line of input
   * @param live true when {@code out} is a screen that can redraw a progress line
   */
  public Terminal(BufferedReader in, PrintStream out, Console console, boolean live) {
    this.in = in;
    this.out = out;
    this.console = console;
    this.live = live;
  }

  /** The process's stdin/stdout; live when there is a console, or when {@code forceLive}. */
  public static Terminal system(boolean forceLive) {
    Console console = System.console();
    Charset charset = console != null ? console.charset() : Charset.defaultCharset();
    return new Terminal(new BufferedReader(new InputStreamReader(System.in, charset)), System.out, console,
        forceLive || console != null);
  }

  /** Prints {@code prompt} and reads one line; null at the end of input. */
  public String readLine(String prompt) throws IOException {
    out.print(prompt);
    out.flush();
    return in.readLine();
  }

  /** Reads a password without echo when there is a console; null at the end of input. */
  public char[] readPassword(String prompt) throws IOException {
    if (console != null) return console.readPassword("%s", prompt);
    String line = readLine(prompt);
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
}
