package dev.selectftp.client.console;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.LoginKeys;
import dev.selectftp.client.TransferListener;
import dev.selectftp.client.keys.KeyCache;
import dev.selectftp.client.tls.ClientTls;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the console's mode from the parsed flags (menus, prompt, one command, or a {@link Script}: {@code -c},
 * {@code -f}, or commands piped into the prompt), connects, and turns every failure into one {@code error:}
 * line and an exit status.
 */
public final class Launcher {
  private static final Logger log = LoggerFactory.getLogger(Launcher.class);
  private static final String REGISTER = "register";

  /**
   * The connection flags; {@code user} and {@code password} may be null. {@code typedOptions} are the
   * options as typed before any command word, repeated in "to resume, run: ..." (never the password).
   * {@code commands} ({@code -c}) and {@code scriptFile} ({@code -f}, {@code -} for stdin) may be null;
   * {@code keyCache} false is {@code --no-key-cache}.
   */
  public record Options(String host, int port, String user, char[] password, Path localDir, Duration timeout,
      TlsOptions tls, List<String> typedOptions, String commands, String scriptFile, boolean keyCache) {
    /** The options without a script, with the key cache. */
    public Options(String host, int port, String user, char[] password, Path localDir, Duration timeout,
        TlsOptions tls, List<String> typedOptions) {
      this(host, port, user, password, localDir, timeout, tls, typedOptions, null, null, true);
    }

    boolean scripted() {
      return commands != null || scriptFile != null;
    }
  }

  private final Options options;
  private final Terminal terminal;
  private final PrintStream err;
  private final Interrupts interrupts;
  private final UnaryOperator<TransferListener> listeners;
  /** Built at the first connect (reading --cacert and the trust store) and kept for reconnects. */
  private ClientTls tls;

  /** A launcher whose interactive modes (menus, prompt) take Ctrl-C from the process's SIGINT. */
  public Launcher(Options options, Terminal terminal, PrintStream err) {
    this(options, terminal, err, Interrupts.fromSignals(), UnaryOperator.identity());
  }

  /**
   * @param interrupts installed in the interactive modes only; one-shot commands keep the default Ctrl-C
   * @param listeners wraps every transfer's progress listener (a test seam; identity otherwise)
   */
  public Launcher(Options options, Terminal terminal, PrintStream err, Interrupts interrupts,
      UnaryOperator<TransferListener> listeners) {
    this.options = options;
    this.terminal = terminal;
    this.err = err;
    this.interrupts = interrupts;
    this.listeners = listeners;
  }

  /** Runs the mode {@code command} implies (empty: menus or prompt) and returns the exit status. */
  public int run(List<String> command) {
    char[] password = null;
    try {
      if (!Files.isDirectory(options.localDir())) {
        throw new UsageException("local folder " + options.localDir() + " does not exist");
      }
      if (options.user() == null) {
        if (options.scripted()) throw new UsageException((options.commands() != null ? "-c" : "-f") + " needs -u USER");
        if (!command.isEmpty()) throw new UsageException(command.get(0) + " needs -u USER");
        try (Session session = session(connect())) {
          interrupts.install();
          return new Menus(terminal, shell(session, true)).run();
        }
      }
      CommandSource script = script(command);
      password = options.password() != null ? options.password().clone()
          : terminal.readPassword("password for " + options.user() + ": ");
      if (password == null) throw new UsageException("no password given");
      try (Session session = session(connect())) {
        if (!command.isEmpty()) return oneShot(session, command, password);
        if (script == null && terminal.interactive()) {
          session.login(options.user(), password);
          interrupts.install();
          return shell(session, true).runPrompt();
        }
        // Piped into the prompt, or -c / -f: a script over this one login.
        return runScript(session, script != null ? script : CommandSource.ofInput(terminal), password);
      }
    } catch (UsageException | IOException e) {
      log.info("{} failed: {}", command.isEmpty() ? "session" : command.get(0), e.toString(), e);
      err.println("error: " + Errors.describe(e));
      return Errors.exitCode(e);
    } finally {
      if (password != null) Arrays.fill(password, '\0');
    }
  }

  /** The commands of {@code -c} or {@code -f} (a file is read now, before connecting), or null. */
  private CommandSource script(List<String> command) throws UsageException, IOException {
    if (!options.scripted()) return null;
    if (options.commands() != null && options.scriptFile() != null) throw new UsageException("give -c or -f, not both");
    if (!command.isEmpty()) throw new UsageException("give either -c / -f or a COMMAND, not both");
    if (options.commands() != null) return CommandSource.ofText(options.commands());
    if (options.scriptFile().equals(CommandSource.STDIN)) return CommandSource.ofInput(terminal);
    return CommandSource.ofFile(Path.of(options.scriptFile()));
  }

  private int runScript(Session session, CommandSource commands, char[] password) throws IOException {
    Shell shell = shell(session, false);
    Script script = new Script(commands, err);
    int checked = script.check(shell); // before logging in: a typo costs no PBKDF2 run and no round trip
    if (checked != ExitCode.OK) return checked;
    session.login(options.user(), password);
    return script.run(shell);
  }

  private int oneShot(Session session, List<String> command, char[] password)
      throws UsageException, IOException {
    Shell shell = shell(session, false);
    if (command.get(0).equals(REGISTER)) {
      if (command.size() > 1) throw new UsageException("usage: -u USER -p PASSWORD register");
      session.register(options.user(), password);
      terminal.println("registered " + options.user());
    } else {
      // Checked before logging in so that a typo costs no PBKDF2 run and no server round trip.
      shell.check(command);
      session.login(options.user(), password);
      shell.execute(command);
    }
    shell.quitQuietly();
    return ExitCode.OK;
  }

  /** A session whose logins use the key cache unless {@code --no-key-cache}. */
  private Session session(FtpClient client) {
    LoginKeys keys = options.keyCache() ? KeyCache.forServer(options.host(), options.port()) : LoginKeys.NONE;
    return new Session(client, this::connect, keys);
  }

  private FtpClient connect() throws IOException {
    if (tls == null) tls = options.tls().build(err::println);
    return FtpClient.connect(options.host(), options.port(), options.timeout(), tls);
  }

  /** @param ask true to ask before an upload replaces a file (interactive), false to refuse (one-shot) */
  private Shell shell(Session session, boolean ask) {
    return new Shell(session, terminal, options.localDir(), System::nanoTime, interrupts, listeners, ask,
        Rerun.of(options.typedOptions()));
  }
}
