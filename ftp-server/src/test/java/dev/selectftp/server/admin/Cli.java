package dev.selectftp.server.admin;

import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.TestSupport;
import dev.selectftp.server.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Runs the command line in-process with scripted input and captured output. */
final class Cli {
  /** The least PBKDF2 count, so tests stay fast. */
  static final String FAST = String.valueOf(ScramCredentials.MIN_ITERATIONS);

  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  private Cli() {}

  /** {@code java -jar ftp-server.jar args} with {@code stdin} piped in (not a terminal). */
  static Result run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Terminal t = Terminal.streams(new ByteArrayInputStream(stdin.getBytes(Charset.defaultCharset())), out, err);
    int code = Main.execute(t, args);
    return new Result(code, out.toString(Charset.defaultCharset()), err.toString(Charset.defaultCharset()));
  }

  /** A {@code user} subcommand against {@code data} with fast iterations. */
  static Result user(Path data, String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("user"));
    all.addAll(List.of(args));
    all.addAll(List.of("--data", data.toString(), "--iterations", FAST));
    return run(stdin, all.toArray(String[]::new));
  }

  /** Runs with a terminal that a person types at: answers come from the queue, no echo. */
  static Result interactive(List<String> answers, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ScriptedTerminal t = new ScriptedTerminal(new PrintWriter(out, true), new PrintWriter(err, true), answers);
    int code = Main.execute(t, args);
    return new Result(code, out.toString(), err.toString());
  }

  /** True when a full SCRAM exchange with {@code stored} accepts {@code password}. */
  static boolean accepts(ScramCredentials stored, String user, String password) throws ProtocolException {
    return TestSupport.login(user, password, stored);
  }

  static final class ScriptedTerminal extends Terminal {
    final Deque<String> answers;
    final List<String> prompts = new ArrayList<>();

    ScriptedTerminal(PrintWriter out, PrintWriter err, List<String> answers) {
      super(out, err);
      this.answers = new ArrayDeque<>(answers);
    }

    @Override
    public boolean interactive() {
      return true;
    }

    @Override
    public char[] readPassword(String prompt) {
      prompts.add(prompt);
      String a = answers.poll();
      return a == null ? null : a.toCharArray();
    }

    @Override
    public String readLine(String prompt) {
      prompts.add(prompt);
      return answers.poll();
    }
  }
}
