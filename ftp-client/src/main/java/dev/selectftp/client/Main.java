package dev.selectftp.client;

import dev.selectftp.client.console.ExitCode;
import dev.selectftp.client.console.Interrupts;
import dev.selectftp.client.console.Launcher;
import dev.selectftp.client.console.Terminal;
import dev.selectftp.client.console.TlsOptions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar ftp-client.jar [-s HOST] [-P PORT] [-u USER] [-p PASSWORD] [--local-dir DIR] [COMMAND ARGS...]}.
 *
 * <p>Without {@code -u}: numbered menus. With {@code -u} and no command: the {@code [user] >>>} prompt on a
 * terminal, a script when commands are piped in. With a command: that one command, then exit 0, or 1
 * (refused), 2 (usage) or 3 (connection or local I/O) with one {@code error:} line on stderr. With
 * {@code -c} or {@code -f}: the commands in order over one login, the first failure's status ending it. The menus and the prompt route Ctrl-C to the running
 * transfer ({@link Interrupts}). Other tools (a {@code bench}, say) plug in as picocli
 * subcommands in {@link #commandLine}; picocli dispatches their name before it reaches COMMAND.
 */
@Command(name = "ftp-client", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    versionProvider = Main.Version.class,
    description = {"SelectFTP console client.",
        "Modes: without -u, numbered menus; with -u and no COMMAND, the [USER] >>> prompt;",
        "with -u and a COMMAND, that one command, then exit; with -u and -c or -f, a script."},
    footer = {"", "Commands (prompt and one-shot; type help at the prompt):",
        "  ls [PATH]            list a folder          cd PATH        change folder",
        "  pwd                  print the folder       mkdir PATH     make a folder",
        "  rm PATH              delete a file or an empty folder",
        "  mv FROM TO           rename or move         quota          space used and allowed",
        "  put FILE [REMOTE] [--overwrite|--resume|--skip]",
        "                       upload; resumes an interrupted upload of REMOTE",
        "  get NAME [LOCAL] [--overwrite|--resume|--skip]",
        "                       download; resumes an interrupted download (.NAME.selectftp-part)",
        "  lcd DIR              change the local folder  lpwd          print it",
        "  lls [DIR]            list the local folder",
        "  mput GLOB...         upload local files matching each glob (quote it: mput '*.txt')",
        "  mget GLOB...         download remote files matching each glob (mget '*.txt' 'docs/*.bin')",
        "  put -r DIR [REMOTE]  upload a folder's tree     get -r DIR [LOCAL]   download a folder's tree",
        "  mirror REMOTE [LOCAL]     make LOCAL hold REMOTE's files (download direction)",
        "  mirror -R LOCAL [REMOTE]  make REMOTE hold LOCAL's files (upload direction)",
        "                       skips files whose size and SHA-256 match on both sides, replaces the others",
        "                       without asking; --delete removes what the source lacks, --dry-run only shows",
        "  stats                the server's event-loop figures (no login needed)",
        "  register             create the account -u USER -p PASSWORD (one-shot only)",
        "",
        "When put's REMOTE or get's LOCAL already exists, the menus and the prompt ask [o]verwrite, [r]esume,",
        "[s]kip; a one-shot needs one of the flags. put: --overwrite sends the whole file again from byte 0,",
        "--resume continues an interrupted upload of that name when its bytes match (then replaces), --skip",
        "uploads nothing. get: --overwrite replaces LOCAL once the download is verified, --resume continues",
        "LOCAL from its length when the server confirms its bytes (else fetches it whole), --skip fetches nothing.",
        "mput, mget, put -r and get -r apply the same rules (and flags) to each file; a file that fails is",
        "reported and the others still move, then the command exits 1. So does a glob that matches nothing.",
        "",
        "On a terminal the prompt edits lines (arrows, Ctrl-R search of ~/.selectftp/history, Tab completes",
        "commands, remote and local names); --no-history keeps no history.",
        "",
        "Scripts: -c \"cd docs; get a.txt --skip\" and -f FILE (one command a line, # comments; -f - reads",
        "stdin) run the commands in order over one login, as lftp -c and sftp -b do; commands piped into the",
        "prompt run the same way, without any prompt text. The first command that fails ends the run with its",
        "exit status and one error line on stderr naming it (\"error: cd x (line 3 of FILE): ...\"); nothing",
        "asks, so put/get onto an existing name need their flag. quit ends a script early with 0.",
        "",
        "Logins keep the SCRAM keys (not the password) per server, user and salt in ~/.selectftp/scram-keys",
        "(mode 0600), sealed under the password, so later logins skip the slow key derivation; a wrong",
        "password never logs in through it. --no-key-cache neither reads nor writes it (docs/SECURITY.md).",
        "",
        "Ctrl-C during put or get (menus, prompt) stops that transfer, keeps the part already moved and",
        "returns to the prompt; run the same command again to resume. Ctrl-C otherwise leaves.",
        "",
        "A transfer cut off by the server keeps what moved and prints the command that resumes it.",
        "",
        "Exit status: 0 ok, 1 refused by the server (or put's REMOTE / get's LOCAL exists without a flag),",
        "2 usage error (a port outside 1-65535, say), 3 connection or local I/O failure (an unknown host, a",
        "cut transfer), 130 ended by Ctrl-C. Errors are one line on stderr;",
        "details go to logs/client.log (-Dselectftp.logDir=DIR moves it).",
        "",
        "TLS: the client upgrades whenever the server offers it, verifies the certificate against the system",
        "trust store (or --cacert) and the host name, and pins a self-signed server's certificate on first use",
        "in the known-servers file; a changed certificate is refused with the line to remove."})
public final class Main implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Mixin
  ServerAddressOptions server;

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

  @Option(names = "--no-history",
      description = "keep no command history in ~/.selectftp/history (or set SELECTFTP_NO_HISTORY)")
  boolean noHistory;

  @Option(names = {"-c", "--commands"}, paramLabel = "\"CMD; CMD\"",
      description = "run these commands (separated by ;) over one login; the first failure ends the run")
  String commands;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "run the commands in FILE, one a line (# comments), over one login; - reads stdin")
  String scriptFile;

  @Option(names = "--no-key-cache",
      description = "neither read nor write the SCRAM key cache ~/.selectftp/scram-keys")
  boolean noKeyCache;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
      description = "connect and reply timeout (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @CommandLine.Mixin
  TlsOptions tls = new TlsOptions();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "one command to run, then exit")
  List<String> command = new ArrayList<>();

  private final Terminal terminal;
  private final PrintStream err;
  private final Interrupts interrupts;
  private final UnaryOperator<TransferListener> listeners;

  /**
   * @param terminal the console to use, or null for the process's own (decided after parsing flags)
   * @param interrupts where Ctrl-C goes in the interactive modes
   * @param listeners wraps each transfer's progress listener (a test seam; identity otherwise)
   */
  Main(Terminal terminal, PrintStream err, Interrupts interrupts, UnaryOperator<TransferListener> listeners) {
    this.terminal = terminal;
    this.err = err;
    this.interrupts = interrupts;
    this.listeners = listeners;
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
    // A console injected by a test gets no SIGINT handler: the test JVM's Ctrl-C stays its own.
    Interrupts interrupts = terminal != null ? Interrupts.manual() : Interrupts.fromSignals();
    return run(args, terminal, err, interrupts, UnaryOperator.identity());
  }

  /** Like {@link #run(String[], Terminal, PrintStream)}, with Ctrl-C and progress routed for tests. */
  static int run(String[] args, Terminal terminal, PrintStream err, Interrupts interrupts,
      UnaryOperator<TransferListener> listeners) {
    return commandLine(terminal, err, interrupts, listeners).execute(args);
  }

  /** The configured picocli command line; the place to add subcommands. */
  static CommandLine commandLine(Terminal terminal, PrintStream err) {
    return commandLine(terminal, err, Interrupts.fromSignals(), UnaryOperator.identity());
  }

  private static CommandLine commandLine(Terminal terminal, PrintStream err, Interrupts interrupts,
      UnaryOperator<TransferListener> listeners) {
    CommandLine cl = new CommandLine(new Main(terminal, err, interrupts, listeners));
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
    Launcher.Options options = new Launcher.Options(server.host(), server.port(), user, password, localDir,
        java.time.Duration.ofSeconds(timeoutSeconds), tls, typedOptions(), commands, scriptFile, !noKeyCache);
    if (terminal != null) return new Launcher(options, terminal, err, interrupts, listeners).run(command);
    try (Terminal term = Terminal.system(progress, !noHistory)) {
      return new Launcher(options, term, err, interrupts, listeners).run(command);
    }
  }

  /**
   * The options as typed, before the command words (which picocli, stopping at the first positional, puts
   * last); empty when they cannot be told apart.
   */
  private List<String> typedOptions() {
    List<String> typed = spec.commandLine().getParseResult().originalArgs();
    int optionWords = typed.size() - command.size();
    if (optionWords < 0 || !typed.subList(optionWords, typed.size()).equals(command)) return List.of();
    return List.copyOf(typed.subList(0, optionWords));
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
