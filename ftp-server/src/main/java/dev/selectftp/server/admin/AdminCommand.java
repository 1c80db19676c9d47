package dev.selectftp.server.admin;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.Settings;
import dev.selectftp.server.SharedOptions;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.accounts.postgres.PostgresAccounts;
import dev.selectftp.server.storage.UserNames;
import dev.selectftp.server.accounts.UserStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What every {@code user} subcommand shares: settings, the terminal, opening the accounts, passwords. */
public abstract class AdminCommand implements Callable<Integer> {
  private static final SecureRandom RANDOM = new SecureRandom();

  @ParentCommand
  UserCommand parent;

  @Mixin
  SharedOptions options;

  /** The PostgreSQL accounts this command opened, closed when it ends; null for users.json. */
  private PostgresAccounts opened;

  /**
   * Defaults, then the config file, then the server-level flags given before {@code user}, then this
   * command's own flags.
   */
  public Settings settings() throws Settings.Invalid {
    Map<String, String> flags = parent.main.flags();
    flags.putAll(options.flags());
    Path config = options.config() != null ? options.config() : parent.main.configFile();
    return Settings.resolve(config, flags);
  }

  Terminal terminal() {
    return parent.main.terminal();
  }

  @Override
  public final Integer call() throws Exception {
    try {
      run(settings());
      return 0;
    } catch (Refused e) {
      // A write the repository refused for a reason no earlier check caught: the database, most likely.
      if (e.code() == Refusal.USER_EXISTS) throw Failure.refused(e.getMessage());
      throw e.code() == Refusal.INTERNAL ? Failure.io(e.getMessage()) : Failure.usage(e.getMessage());
    } finally {
      if (opened != null) opened.close();
    }
  }

  abstract void run(Settings settings) throws Exception;

  /** The accounts of a data folder that already has a users file, or of the {@code --accounts} database. */
  AccountRepository openExisting(Settings s) throws Failure {
    if (s.accounts() == null && !Files.isRegularFile(s.data().resolve(UserStore.FILE_NAME))) {
      throw Failure.refused("no users file in " + s.data() + " (wrong --data?)");
    }
    return open(s, s.defaultQuotaBytes());
  }

  /**
   * The accounts the settings name: the {@code --accounts} database, else the data folder's users.json
   * (created when missing); new users get {@code quota}.
   */
  AccountRepository open(Settings s, long quota) throws Failure {
    try {
      if (s.accounts() == null) return Accounts.open(s.data(), quota, s.iterations());
      return openPostgres(s, quota);
    } catch (IOException e) {
      throw Failure.io(e.getMessage());
    }
  }

  /** The {@code --accounts} database; closed by {@link #call} when the command ends. */
  PostgresAccounts openPostgres(Settings s, long quota) throws IOException {
    opened = PostgresAccounts.open(s.accounts(), s.data(), quota, s.iterations());
    return opened;
  }

  static void checkName(String name) throws Failure {
    try {
      UserNames.check(name);
    } catch (Refused e) {
      throw Failure.usage(e.getMessage());
    }
  }

  /** The user called exactly {@code name}, or a refusal that suggests the name in another letter case. */
  static User existing(AccountRepository accounts, String name) throws Failure {
    checkName(name);
    Optional<User> user = accounts.find(name);
    if (user.isPresent()) return user.get();
    String hint = accounts.list().stream().map(User::name)
        .filter(n -> n.equalsIgnoreCase(name)).findFirst().map(n -> " (did you mean " + n + "?)").orElse("");
    throw Failure.refused("no such user: " + name + hint);
  }

  /**
   * Asks for a new password: twice without echo on a terminal (they must match), else one line of input.
   * Returns credentials derived with a fresh random salt; the password itself is wiped.
   */
  ScramCredentials newCredentials(String user, int iterations) throws IOException, Failure {
    Terminal t = terminal();
    char[] password = t.readPassword("Password for " + user + ": ");
    try {
      if (password == null) {
        throw Failure.refused(t.interactive() ? "no password given" : "no password on standard input");
      }
      if (password.length == 0) throw Failure.refused("the password must not be empty");
      if (t.interactive()) {
        char[] again = t.readPassword("Repeat the password: ");
        boolean same = again != null && Arrays.equals(password, again);
        if (again != null) Arrays.fill(again, '\0');
        if (!same) throw Failure.refused("the passwords do not match; nothing was changed");
      }
      byte[] salt = new byte[ScramCredentials.SALT_BYTES];
      RANDOM.nextBytes(salt);
      return ScramCredentials.derive(password, salt, iterations);
    } finally {
      if (password != null) Arrays.fill(password, '\0');
    }
  }
}
