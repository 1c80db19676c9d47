package dev.selectftp.server.admin;

import dev.selectftp.server.Settings;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.common.Sizes;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code user list}: name, quota, used. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = dev.selectftp.server.Main.Version.class,
    description = {"List the accounts: name, quota, used.",
        "Used counts files and partial uploads in the home folder."})
final class UserList extends AdminCommand {
  @Option(names = "--bytes", description = "Exact byte counts instead of human sizes (for scripts).")
  boolean bytes;

  @Override
  void run(Settings s) throws Exception {
    AccountRepository accounts = openExisting(s);
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "QUOTA", "USED"});
    for (User u : accounts.list()) {
      long used = usedBytes(s, u.name());
      rows.add(new String[] {u.name(), size(u.quotaBytes()), used < 0 ? "?" : size(used)});
    }
    PrintWriter out = terminal().out();
    if (rows.size() == 1) {
      out.printf("no users in %s%n", s.data());
      return;
    }
    int[] width = new int[3];
    for (String[] r : rows) {
      for (int i = 0; i < 3; i++) width[i] = Math.max(width[i], r[i].length());
    }
    for (String[] r : rows) {
      out.printf("%-" + width[0] + "s  %" + width[1] + "s  %" + width[2] + "s%n", r[0], r[1], r[2]);
    }
  }

  private String size(long n) {
    return bytes ? Long.toString(n) : Sizes.format(n);
  }

  /** Bytes in the user's home (0 when it has none yet, -1 when it cannot be read); never creates a home. */
  static long usedBytes(Settings s, String user) {
    FileStore files = new FileStore(s.data());
    if (!Files.isDirectory(files.homesDir().resolve(user))) return 0;
    try {
      return files.usedBytes(user);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      return -1;
    }
  }
}
