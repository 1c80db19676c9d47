package dev.selectftp.server.admin;

import dev.selectftp.server.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code ftp-server user ...}: account administration, safe while the server runs. */
@Command(name = "user", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Add, change, list and remove accounts, like pure-pw.",
        "Safe while the server runs: the users file is locked (or the --accounts",
        "database orders the changes), and the server picks them up within a second."},
    subcommands = {UserAdd.class, UserPasswd.class, UserQuota.class, UserList.class, UserRemove.class,
        UserImport.class},
    synopsisSubcommandLabel = "(add | passwd | quota | list | remove | import)",
    footer = {"", "Exit codes: 0 done, 1 refused (user exists, no such user, passwords",
        "differ), 2 usage (bad argument, option or config file), 3 the data folder",
        "cannot be read or written."})
public final class UserCommand {
  @ParentCommand
  Main main;
}
