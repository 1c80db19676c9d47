package dev.selectftp.server.admin;

import dev.selectftp.server.Settings;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.accounts.UserStore;
import dev.selectftp.server.accounts.postgres.PostgresAccounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code user import --accounts postgresql://... [--from DIR]}. */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = dev.selectftp.server.Main.Version.class,
    description = {"Copy the accounts of a users.json into the --accounts database.",
        "Passwords (SCRAM keys), quotas and creation times move as they are; a name",
        "already there, in any letter case, is reported and skipped, so running it",
        "again changes nothing. The users.json is only read; homes stay in data/home."})
final class UserImport extends AdminCommand {
  @Option(names = "--from", paramLabel = "DIR",
      description = "Data folder whose users.json (and its journal) to read (default: --data).")
  Path from;

  @Override
  void run(Settings s) throws Exception {
    if (s.accounts() == null) {
      throw Failure.usage("user import needs --accounts postgresql://HOST:PORT/DB?user=NAME (where to import to)");
    }
    Path dir = from != null ? from : s.data();
    if (!Files.isRegularFile(dir.resolve(UserStore.FILE_NAME))) {
      throw Failure.refused("no users file in " + dir + " (wrong --from or --data?)");
    }
    List<User> users;
    try {
      users = new ArrayList<>(new UserStore(dir).load().values());
    } catch (IOException e) {
      throw Failure.io("cannot read the users of " + dir + ": " + e.getMessage());
    }
    users.sort(Comparator.comparing(User::name));
    PostgresAccounts accounts;
    try {
      accounts = openPostgres(s, s.defaultQuotaBytes());
    } catch (IOException e) {
      throw Failure.io(e.getMessage());
    }
    List<String> skipped = new ArrayList<>();
    int imported = 0;
    for (User u : users) {
      boolean added;
      try {
        added = accounts.importUser(u);
      } catch (IOException e) {
        throw Failure.io("imported " + imported + " users, then: " + e.getMessage() + " (run it again to go on)");
      }
      if (added) {
        imported++;
        terminal().out().printf("imported %s%n", u.name());
      } else {
        skipped.add(u.name());
        terminal().out().printf("skipped %s: the name exists already%n", u.name());
      }
    }
    terminal().out().printf("imported %d users into %s, skipped %d that exist already%n", imported,
        accounts.url(), skipped.size());
  }
}
