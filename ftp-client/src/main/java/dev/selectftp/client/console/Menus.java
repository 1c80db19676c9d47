package dev.selectftp.client.console;

import dev.selectftp.client.FtpException;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The numbered menus for people who would rather pick than type commands, laid out as the original
 * SelectFTP tool's (see {@link MenuText}): a login menu, then the operations menu, whose "Sign out" returns
 * to the login menu. Every choice runs the same {@link Shell} code as the prompt. Bad input is explained and
 * asked again; the end of input leaves cleanly.
 */
public final class Menus {
  private final Terminal terminal;
  private final Shell shell;
  private final Ask ask;

  public Menus(Terminal terminal, Shell shell) {
    this.terminal = terminal;
    this.shell = shell;
    this.ask = new Ask(terminal);
  }

  /** Runs the login menu and the operations menu until the user leaves. Returns the process exit status. */
  public int run() {
    try {
      while (loginMenu()) {
        if (!mainMenu()) break;
        shell.session().signOut();
        terminal.println("signed out");
      }
      shell.quitQuietly();
      return ExitCode.OK;
    } catch (IOException e) {
      shell.report(e);
      return ExitCode.IO;
    }
  }

  /** Returns true once logged in, false when the user chose to leave. */
  private boolean loginMenu() throws IOException {
    Session session = shell.session();
    while (true) {
      print(MenuText.loginMenu());
      int choice = ask.number(MenuText.LOGIN_PROMPT, MenuText.LOG_IN, MenuText.LOGIN_EXIT);
      if (choice == Ask.END_OF_INPUT) return false;
      if (choice == MenuText.LOGIN_EXIT) {
        terminal.println(MenuText.GOODBYE);
        return false;
      }
      String user;
      char[] password;
      if (choice == MenuText.REGISTER) {
        Registration.Account account = new Registration(terminal, ask).ask();
        if (account == null) continue;
        user = account.user();
        password = account.password();
      } else {
        user = ask.text("Input your login user name>>>: ");
        if (user == null) return false;
        password = terminal.readPassword("Input your login password>>>: ");
        if (password == null) return false;
      }
      try {
        if (choice == MenuText.REGISTER) {
          session.register(user, password);
          terminal.println("registered " + user);
        }
        session.login(user, password);
        terminal.println("logged in as " + session.user());
        return true;
      } catch (FtpException e) {
        shell.report(e);
        if (!session.current().isOpen()) throw new IOException("connection lost", e);
      } finally {
        Arrays.fill(password, '\0');
      }
    }
  }

  /** Returns true when the user signed out (back to the login menu), false to leave the program. */
  private boolean mainMenu() throws IOException {
    while (true) {
      print(MenuText.operationsMenu(shell.session().user()));
      int choice = ask.number(MenuText.OPERATION_PROMPT, MenuText.EXIT, MenuText.LAST_OPERATION);
      if (choice == Ask.END_OF_INPUT) return false;
      if (choice == MenuText.EXIT) {
        terminal.println(MenuText.GOODBYE);
        return false;
      }
      if (choice == MenuText.SIGN_OUT) return true;
      try {
        if (!runChoice(choice)) return false;
      } catch (FtpException e) {
        shell.report(e);
      } catch (IOException e) {
        if (!shell.session().usable()) throw e;
        shell.report(e); // a local file problem or a transfer stopped by Ctrl-C; the session goes on
      }
    }
  }

  /** Returns false when the input ended in the middle of the choice. */
  private boolean runChoice(int choice) throws IOException {
    switch (choice) {
      case MenuText.UPLOAD -> {
        String name = pick("local files in " + shell.localDir().toAbsolutePath().normalize(), localFiles());
        if (name == null) return false;
        if (!name.isEmpty()) shell.put(name, null, null);
      }
      case MenuText.DOWNLOAD -> {
        String name = pick("remote files in " + shell.session().client().pwd(), remoteFiles());
        if (name == null) return false;
        if (!name.isEmpty()) shell.get(name, null);
      }
      case MenuText.LIST -> shell.ls(null);
      case MenuText.CHANGE_DIRECTORY -> {
        String folder = new FolderMenu(terminal, ask, shell).choose();
        if (folder == null) return false;
        if (!folder.isEmpty()) shell.cd(folder);
      }
      case MenuText.PRINT_DIRECTORY -> shell.pwd();
      case MenuText.MAKE_DIRECTORY -> {
        return withText("new folder name: ", shell::mkdir);
      }
      case MenuText.DELETE -> {
        return withText("file or empty folder to delete: ", shell::rm);
      }
      case MenuText.RENAME -> {
        String from = ask.text("rename what: ");
        if (from == null) return false;
        String to = ask.text("new name: ");
        if (to == null) return false;
        shell.mv(from, to);
      }
      case MenuText.QUOTA -> shell.quota();
      default -> print(MenuText.operationsHelp());
    }
    return true;
  }

  private void print(List<String> lines) {
    for (String line : lines) terminal.println(line);
  }

  private interface TextAction {
    void run(String text) throws IOException;
  }

  private boolean withText(String prompt, TextAction action) throws IOException {
    String text = ask.text(prompt);
    if (text == null) return false;
    action.run(text);
    return true;
  }

  /**
   * Shows {@code names} numbered and returns the chosen one, "" when there is nothing to choose or the
   * user chose 0 (back), null at the end of input.
   */
  private String pick(String title, List<String> names) throws IOException {
    if (names.isEmpty()) {
      terminal.println("no files in " + title.substring(title.indexOf(" in ") + " in ".length()));
      return "";
    }
    terminal.println(title + ":");
    for (int i = 0; i < names.size(); i++) terminal.println("    " + (i + 1) + ": " + names.get(i));
    int choice = ask.number("file number (0 to go back): ", 0, names.size());
    if (choice == Ask.END_OF_INPUT) return null;
    return choice == 0 ? "" : names.get(choice - 1);
  }

  private List<String> localFiles() throws IOException {
    try (Stream<Path> files = Files.list(shell.localDir())) {
      return files.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.endsWith(".selectftp-part"))
          .sorted()
          .toList();
    }
  }

  private List<String> remoteFiles() throws IOException {
    List<String> names = new ArrayList<>();
    for (Response.Entry entry : shell.session().client().list(null)) {
      if (!entry.dir()) names.add(entry.name());
    }
    return names;
  }
}
