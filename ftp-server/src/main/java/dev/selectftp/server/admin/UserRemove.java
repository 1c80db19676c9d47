package dev.selectftp.server.admin;

import dev.selectftp.server.Settings;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.Removal;
import dev.selectftp.server.accounts.RetiredHomes;
import dev.selectftp.server.storage.HomeLayout;
import dev.selectftp.common.Sizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code user remove NAME [--keep-home | --delete-home]}. */
@Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = dev.selectftp.server.Main.Version.class,
    description = {"Remove an account.",
        "Its home folder always leaves data/home, so whoever registers the name",
        "later starts empty: it is kept as data/removed/NAME-TIME (the default)",
        "or deleted. Asks which; --keep-home or --delete-home answer for scripts."})
final class UserRemove extends AdminCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @ArgGroup(exclusive = true)
  HomeChoice home;

  static final class HomeChoice {
    @Option(names = "--keep-home", description = "Keep the home's files in data/removed/NAME-TIME.")
    boolean keep;

    @Option(names = "--delete-home", description = "Delete the home folder and everything in it.")
    boolean delete;
  }

  @Override
  void run(Settings s) throws Exception {
    checkName(name);
    // Either repository retires the home into <data>/removed; deleting it is local-disk work.
    AccountRepository accounts = openExisting(s);
    existing(accounts, name);
    Path dir = HomeLayout.homeOf(s.data(), name);
    boolean hasHome = Files.isDirectory(dir) || Files.isSymbolicLink(dir);
    boolean delete = hasHome && decideDelete(s, dir);
    Optional<Removal> removal = accounts.remove(name);
    if (removal.isEmpty()) throw Failure.refused("no such user: " + name + " (removed meanwhile)");
    Path retired = removal.get().retiredHome();
    if (retired == null) {
      terminal().out().printf("removed user %s (had no home folder)%n", name);
    } else if (delete) {
      try {
        RetiredHomes.deleteRetired(s.data(), retired);
      } catch (IOException e) {
        throw Failure.io("removed user " + name + " but could not delete " + retired + ": " + e.getMessage());
      }
      terminal().out().printf("removed user %s and deleted its home%n", name);
    } else {
      terminal().out().printf("removed user %s; its files are kept in %s%n", name, retired);
    }
  }

  /** Asked before anything changes, so an interrupted question leaves the account as it was. */
  private boolean decideDelete(Settings s, Path dir) throws IOException {
    if (home != null) return home.delete;
    long used = UserList.usedBytes(s, name);
    String answer = terminal().readLine("delete home folder " + dir + " (" + (used < 0 ? "?" : Sizes.format(used))
        + ") too? No keeps it in " + HomeLayout.REMOVED_DIR + "/ [y/N] ");
    if (answer == null) return false;
    String a = answer.strip().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }
}
