package dev.selectftp.client;

import dev.selectftp.client.console.ExitCode;
import dev.selectftp.client.console.Launcher;
import dev.selectftp.client.console.Terminal;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar ftp-client.jar [-s HOST] [-P PORT] [-u USER] [-p PASSWORD] [--local-dir DIR] [COMMAND ARGS...]}.
 *
 * <p>Without {@code -u}: numbered menus. With {@code -u} and no command: the {@code [user] >>>} prompt.
 * With a command: that one command, then exit 0, or 1 (refused), 2 (usage) or 3 (connection or local
 * I/O) with one {@code error:} line on stderr. Other tools (a {@code bench}, say) plug in as picocli
 * subcommands in {@link #commandLine}; picocli dispatches their name before it reaches COMMAND.
 */
@Command(name = "ftp-client", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = Main.Version.class,
    description = "SelectFTP console client. Without -u it shows menus; with -u and no COMMAND a prompt.",
    footer = {"", "Commands: ls [PATH], cd PATH, pwd, mkdir PATH, rm PATH, mv FROM TO, quota,",
        "          put FILE [REMOTE], get NAME [LOCAL], stats, register (creates -u USER)",
        "Exit status: 0 ok, 1 refused by the server, 2 usage error, 3 connection or I/O failure."})
public final class Main implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Option(names = {"-s", "--server"}, defaultValue = "127.0.0.1", description = "server host (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = {"-P", "--port"}, defaultValue = "2121", description = "server port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = {"-u", "--user"}, description = "user name; without it the menus are shown")
  String user;

  @Option(names = {"-p", "--password"}, arity = "1",
      description = "password; asked without echo when -u is given without it")
  char[] password;

  @Option(names = "--local-dir", defaultValue = ".",
      description = "where local files are read and written (default: ${DEFAULT-VALUE})")
  Path localDir;

  @Option(names = "--progress", description = "draw the live progress line even when not on a terminal")
  boolean progress;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
      description = "connect and reply timeout (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "one command to run, then exit")
  List<String> command = new ArrayList<>();

  private final Terminal terminal;
  private final PrintStream err;

  /** @param terminal the console to use, or null for the process's own (decided after parsing flags) */
  Main(Terminal terminal, PrintStream err) {
    this.terminal = terminal;
    this.err = err;
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("bench")) { // the load generator, see BENCHMARKS.md
      System.exit(dev.selectftp.client.bench.Bench.run(java.util.Arrays.copyOfRange(args, 1, args.length),
          System.out, System.err));
    }
    System.exit(run(args, null, System.err));
  }

  /** Parses {@code args} and runs; returns the exit status instead of exiting, for tests. */
  public static int run(String[] args, Terminal terminal, PrintStream err) {
    return commandLine(terminal, err).execute(args);
  }

  /** The configured picocli command line; the place to add subcommands. */
  static CommandLine commandLine(Terminal terminal, PrintStream err) {
    CommandLine cl = new CommandLine(new Main(terminal, err));
    // Everything after COMMAND belongs to it, even words that start with '-'.
    cl.setStopAtPositional(true);
    cl.setErr(new PrintWriter(err, true));
    if (terminal != null) cl.setOut(new PrintWriter(terminal.out(), true));
    cl.setParameterExceptionHandler((e, args) -> {
      err.println("error: " + e.getMessage() + " (see --help)");
      return ExitCode.USAGE;
    });
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      log.error("unexpected failure", e);
      err.println("error: unexpected " + e.getClass().getSimpleName() + "; details are in the client log");
      return ExitCode.IO;
    });
    return cl;
  }

  @Override
  public Integer call() {
    Terminal term = terminal != null ? terminal : Terminal.system(progress);
    Launcher.Options options = new Launcher.Options(host, port, user, password, localDir,
        java.time.Duration.ofSeconds(timeoutSeconds));
    return new Launcher(options, term, err).run(command);
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"SelectFTP client " + (version != null ? version : "(development build)")};
    }
  }
}
