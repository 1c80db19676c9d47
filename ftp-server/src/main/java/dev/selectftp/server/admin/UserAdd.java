package dev.selectftp.server.admin;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.Settings;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.storage.HomeLayout;
import dev.selectftp.server.accounts.User;
import dev.selectftp.common.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code user add NAME [--quota SIZE]}. */
@Command(name = "add", mixinStandardHelpOptions = true, versionProvider = dev.selectftp.server.Main.Version.class,
    description = {"Create an account and its home folder.",
        "Asks for the password twice without echo; without a terminal reads it",
        "as one line from standard input (for scripts)."})
final class UserAdd extends AdminCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "1-32 of A-Z a-z 0-9 _ - . (not starting with . or -)")
  String name;

  @Option(names = "--quota", paramLabel = "SIZE", description = "Quota, e.g. 500MiB, 4GiB (default: default-quota).")
  String quota;

  @Override
  void run(Settings s) throws Exception {
    checkName(name);
    long quotaBytes = quota == null ? s.defaultQuotaBytes() : Settings.size(quota, "--quota");
    AccountRepository accounts = open(s, quotaBytes);
    // Refuse before asking for a password; register() checks again under the lock.
    for (User u : accounts.list()) {
      if (u.name().equalsIgnoreCase(name)) throw Failure.refused("user " + u.name() + " already exists");
    }
    ScramCredentials credentials = newCredentials(name, s.iterations());
    try {
      accounts.create(name, credentials);
    } catch (Refused e) {
      if (e.code() == Refusal.USER_EXISTS) throw Failure.refused("user " + name + " already exists");
      if (e.code() == Refusal.INTERNAL) throw Failure.io(e.getMessage()); // the accounts database
      throw Failure.usage(e.getMessage());
    }
    terminal().out().printf("added user %s (quota %s, home %s)%n", name, Sizes.format(quotaBytes),
        HomeLayout.homeOf(s.data(), name));
  }
}
