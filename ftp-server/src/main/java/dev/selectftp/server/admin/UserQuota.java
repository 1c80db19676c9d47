package dev.selectftp.server.admin;

import dev.selectftp.server.Settings;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.common.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code user quota NAME SIZE}. */
@Command(name = "quota", mixinStandardHelpOptions = true, versionProvider = dev.selectftp.server.Main.Version.class,
    description = {"Set a user's quota.",
        "A running server applies it to the next upload; files already stored are",
        "never deleted, even when they exceed the new quota."})
final class UserQuota extends AdminCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Parameters(index = "1", paramLabel = "SIZE", description = "e.g. 500MiB, 4GiB, 10GB, 1048576")
  String size;

  @Override
  void run(Settings s) throws Exception {
    checkName(name);
    long bytes = Settings.size(size, "SIZE");
    AccountRepository accounts = openExisting(s);
    existing(accounts, name);
    if (accounts.setQuota(name, bytes).isEmpty()) {
      throw Failure.refused("no such user: " + name + " (removed meanwhile)");
    }
    long used = UserList.usedBytes(s, name);
    String over = used > bytes ? "; already over it, so uploads are refused until files are deleted" : "";
    terminal().out().printf("quota of %s is now %s (%s used%s)%n", name, Sizes.format(bytes),
        used < 0 ? "?" : Sizes.format(used), over);
  }
}
