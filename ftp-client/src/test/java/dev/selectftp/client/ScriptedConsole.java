package dev.selectftp.client;

import dev.selectftp.client.console.Interrupts;
import dev.selectftp.client.console.Terminal;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs {@link Main} with scripted input and captures what it prints. The input plays a person typing at a
 * terminal (the prompt is shown, a failed command does not end the session), except in {@link #piped},
 * which feeds it as commands piped in (a script: no prompt text, the first failure ends the run).
 */
final class ScriptedConsole {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private int exitCode = -1;

  /**
   * Runs {@code args} against {@code port} with each of {@code lines} typed in turn, then end of input.
   * With {@code --no-tls}: the test server offers no TLS, and its warning is not what these tests are about.
   */
  static ScriptedConsole run(int port, List<String> args, String... lines) {
    return run(port, args, Interrupts.manual(), UnaryOperator.identity(), lines);
  }

  /** Like {@link #run(int, List, String...)} with TLS as {@code args} say (no {@code --no-tls} added). */
  static ScriptedConsole runTls(int port, List<String> args, String... lines) {
    return run(port, args, false, Interrupts.manual(), UnaryOperator.identity(), lines);
  }

  /**
   * Like {@link #run(int, List, String...)}, with Ctrl-C delivered through {@code interrupts} and every
   * transfer's progress listener wrapped by {@code listeners} (so a test can interrupt mid-transfer).
   */
  static ScriptedConsole run(int port, List<String> args, Interrupts interrupts,
      UnaryOperator<TransferListener> listeners, String... lines) {
    return run(port, args, true, interrupts, listeners, lines);
  }

  private static ScriptedConsole run(int port, List<String> args, boolean noTls, Interrupts interrupts,
      UnaryOperator<TransferListener> listeners, String... lines) {
    List<String> all = new ArrayList<>(List.of("-P", Integer.toString(port)));
    if (noTls) all.add("--no-tls");
    all.addAll(args);
    return exactly(all, true, interrupts, listeners, lines);
  }

  /** Like {@link #run(int, List, String...)}, with {@code lines} piped in rather than typed. */
  static ScriptedConsole piped(int port, List<String> args, String... lines) {
    List<String> all = new ArrayList<>(List.of("-P", Integer.toString(port), "--no-tls"));
    all.addAll(args);
    return exactly(all, false, Interrupts.manual(), UnaryOperator.identity(), lines);
  }

  /** The prompt of the demo user over {@code localDir}, with {@code lines} typed. */
  static ScriptedConsole prompt(int port, java.nio.file.Path localDir, String... lines) {
    return run(port, List.of("-u", "xiaoyu", "-p", "123456", "--local-dir", localDir.toString()), lines);
  }

  /** One command of the demo user over {@code localDir}: {@code command} after the options. */
  static ScriptedConsole oneShot(int port, java.nio.file.Path localDir, String... command) {
    List<String> args = new ArrayList<>(List.of("-u", "xiaoyu", "-p", "123456", "--local-dir", localDir.toString()));
    args.addAll(List.of(command));
    return run(port, args);
  }

  /** Runs exactly {@code args}, adding neither {@code -P} nor {@code --no-tls}, with {@code lines} typed. */
  static ScriptedConsole exactly(List<String> args, String... lines) {
    return exactly(args, true, Interrupts.manual(), UnaryOperator.identity(), lines);
  }

  private static ScriptedConsole exactly(List<String> args, boolean typed, Interrupts interrupts,
      UnaryOperator<TransferListener> listeners, String... lines) {
    ScriptedConsole console = new ScriptedConsole();
    String input = lines.length == 0 ? "" : String.join("\n", lines) + "\n";
    Terminal terminal = new Terminal(new BufferedReader(new StringReader(input)),
        new PrintStream(console.out, true, StandardCharsets.UTF_8), null, false, typed);
    console.exitCode = Main.run(args.toArray(String[]::new), terminal,
        new PrintStream(console.err, true, StandardCharsets.UTF_8), interrupts, listeners);
    return console;
  }

  int exitCode() {
    return exitCode;
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The report a failed assertion shows. */
  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout ---\n" + out() + "--- stderr ---\n" + err();
  }
}
