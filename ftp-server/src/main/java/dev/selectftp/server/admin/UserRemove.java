package dev.selectftp.server.admin;

import dev.selectftp.server.Settings;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.common.Sizes;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code user remove NAME [--keep-home | --delete-home]}. */
@Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = dev.selectftp.server.Main.Version.class,
    description = {"Remove an account.",
        "Asks whether to delete the home folder too (default: keep it);",
        "--keep-home or --delete-home answer for scripts."})
final class UserRemove extends AdminCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @ArgGroup(exclusive = true)
  HomeChoice home;

  static final class HomeChoice {
    @Option(names = "--keep-home", description = "Keep the home folder and its files.")
    boolean keep;

    @Option(names = "--delete-home", description = "Delete the home folder and everything in it.")
    boolean delete;
  }

  @Override
  void run(Settings s) throws Exception {
    checkName(name);
    Accounts accounts = openExisting(s);
    existing(accounts, name);
    Path dir = accounts.home(name);
    boolean hasHome = Files.isDirectory(dir) || Files.isSymbolicLink(dir);
    boolean delete = hasHome && decideDelete(s, dir);
    if (!accounts.remove(name)) throw Failure.refused("no such user: " + name + " (removed meanwhile)");
    if (!hasHome) {
      terminal().out().printf("removed user %s (had no home folder)%n", name);
    } else if (delete) {
      try {
        deleteTree(dir);
      } catch (IOException e) {
        throw Failure.io("removed user " + name + " but could not delete " + dir + ": " + e.getMessage());
      }
      terminal().out().printf("removed user %s and deleted %s%n", name, dir);
    } else {
      terminal().out().printf("removed user %s; kept %s%n", name, dir);
    }
  }

  /** Asked before anything changes, so an interrupted question leaves the account as it was. */
  private boolean decideDelete(Settings s, Path dir) throws IOException {
    if (home != null) return home.delete;
    long used = UserList.usedBytes(s, name);
    String answer = terminal().readLine("delete home folder " + dir + " (" + (used < 0 ? "?" : Sizes.format(used))
        + ") too? [y/N] ");
    if (answer == null) return false;
    String a = answer.strip().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }

  /** Deletes {@code dir} and its content; symlinks are removed themselves, never followed. */
  static void deleteTree(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) throw e;
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
