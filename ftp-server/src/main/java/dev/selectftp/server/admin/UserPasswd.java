package dev.selectftp.server.admin;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.Settings;
import dev.selectftp.server.accounts.AccountRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code user passwd NAME}. */
@Command(name = "passwd", mixinStandardHelpOptions = true, versionProvider = dev.selectftp.server.Main.Version.class,
    description = {"Set a new password.",
        "Asks twice without echo; without a terminal reads one line from standard",
        "input. Sessions already logged in stay logged in."})
final class UserPasswd extends AdminCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Override
  void run(Settings s) throws Exception {
    checkName(name);
    AccountRepository accounts = openExisting(s);
    existing(accounts, name);
    ScramCredentials credentials = newCredentials(name, s.iterations());
    if (accounts.updateCredentials(name, credentials).isEmpty()) {
      throw Failure.refused("no such user: " + name + " (removed meanwhile)");
    }
    terminal().out().printf("password of %s changed%n", name);
  }
}
