package dev.selectftp.client.console;

import dev.selectftp.client.FtpClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the console's mode from the parsed flags (menus, prompt or one command), connects, and turns
 * every failure into one {@code error:} line and an exit status.
 */
public final class Launcher {
  private static final Logger log = LoggerFactory.getLogger(Launcher.class);
  private static final String REGISTER = "register";

  /** The connection flags; {@code user} and {@code password} may be null. */
  public record Options(String host, int port, String user, char[] password, Path localDir, Duration timeout) {}

  private final Options options;
  private final Terminal terminal;
  private final PrintStream err;

  public Launcher(Options options, Terminal terminal, PrintStream err) {
    this.options = options;
    this.terminal = terminal;
    this.err = err;
  }

  /** Runs the mode {@code command} implies (empty: menus or prompt) and returns the exit status. */
  public int run(List<String> command) {
    char[] password = null;
    try {
      if (!Files.isDirectory(options.localDir())) {
        throw new UsageException("local folder " + options.localDir() + " does not exist");
      }
      if (options.user() == null) {
        if (!command.isEmpty()) throw new UsageException(command.get(0) + " needs -u USER");
        try (FtpClient client = connect()) {
          return new Menus(terminal, shell(client)).run();
        }
      }
      password = options.password() != null ? options.password().clone()
          : terminal.readPassword("password for " + options.user() + ": ");
      if (password == null) throw new UsageException("no password given");
      try (FtpClient client = connect()) {
        if (command.isEmpty()) {
          client.login(options.user(), password);
          return shell(client).runPrompt();
        }
        return oneShot(client, command, password);
      }
    } catch (UsageException | IOException e) {
      log.info("{} failed: {}", command.isEmpty() ? "session" : command.get(0), e.toString(), e);
      err.println("error: " + Errors.describe(e));
      return Errors.exitCode(e);
    } finally {
      if (password != null) Arrays.fill(password, '\0');
    }
  }

  private int oneShot(FtpClient client, List<String> command, char[] password)
      throws UsageException, IOException {
    Shell shell = shell(client);
    if (command.get(0).equals(REGISTER)) {
      if (command.size() > 1) throw new UsageException("usage: -u USER -p PASSWORD register");
      client.register(options.user(), password);
      terminal.println("registered " + options.user());
    } else {
      // Checked before logging in so that a typo costs no PBKDF2 run and no server round trip.
      shell.check(command);
      client.login(options.user(), password);
      shell.execute(command);
    }
    shell.quitQuietly();
    return ExitCode.OK;
  }

  private FtpClient connect() throws IOException {
    return FtpClient.connect(options.host(), options.port(), options.timeout());
  }

  private Shell shell(FtpClient client) {
    return new Shell(client, terminal, options.localDir(), System::nanoTime);
  }
}
