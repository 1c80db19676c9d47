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
 * The numbered menus for people who would rather pick than type commands: a login menu, then the
 * operations menu. Every choice runs the same {@link Shell} code as the prompt. Bad input is explained and
 * asked again; the end of input leaves cleanly.
 */
public final class Menus {
  static final String LOGIN_MENU = "1. Log in  2. Register  3. Exit";
  static final String MAIN_MENU = String.join(System.lineSeparator(),
      "1. Upload  2. Download  3. List  4. Change directory  5. Print directory",
      "6. Make directory  7. Delete  8. Rename  9. Quota  10. Help  0. Exit");
  private static final int LOG_IN = 1;
  private static final int REGISTER = 2;
  private static final int LOGIN_EXIT = 3;
  private static final int LAST_MAIN_CHOICE = 10;
  /** Marks "the input ended" among the ordinary menu numbers. */
  private static final int END_OF_INPUT = -1;

  private final Terminal terminal;
  private final Shell shell;

  public Menus(Terminal terminal, Shell shell) {
    this.terminal = terminal;
    this.shell = shell;
  }

  /** Runs the login menu, then the operations menu. Returns the process exit status. */
  public int run() {
    try {
      if (!loginMenu()) {
        shell.quitQuietly();
        return ExitCode.OK;
      }
      mainMenu();
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
      terminal.println(LOGIN_MENU);
      int choice = askNumber("choose 1-3: ", LOG_IN, LOGIN_EXIT);
      if (choice == END_OF_INPUT || choice == LOGIN_EXIT) return false;
      String user = askText("user name: ");
      if (user == null) return false;
      char[] password = terminal.readPassword("password: ");
      if (password == null) return false;
      try {
        if (choice == REGISTER) {
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

  private void mainMenu() throws IOException {
    while (true) {
      terminal.println(MAIN_MENU);
      int choice = askNumber("choose 0-10: ", 0, LAST_MAIN_CHOICE);
      if (choice == END_OF_INPUT || choice == 0) return;
      try {
        if (!runChoice(choice)) return;
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
      case 1 -> {
        String name = pick("local files in " + shell.localDir().toAbsolutePath().normalize(), localFiles());
        if (name == null) return false;
        if (!name.isEmpty()) shell.put(name, null, null);
      }
      case 2 -> {
        String name = pick("remote files in " + shell.session().client().pwd(), remoteFiles());
        if (name == null) return false;
        if (!name.isEmpty()) shell.get(name, null);
      }
      case 3 -> shell.ls(null);
      case 4 -> {
        return withText("folder: ", shell::cd);
      }
      case 5 -> shell.pwd();
      case 6 -> {
        return withText("new folder name: ", shell::mkdir);
      }
      case 7 -> {
        return withText("file or empty folder to delete: ", shell::rm);
      }
      case 8 -> {
        String from = askText("rename what: ");
        if (from == null) return false;
        String to = askText("new name: ");
        if (to == null) return false;
        shell.mv(from, to);
      }
      case 9 -> shell.quota();
      default -> terminal.println("Pick an operation by its number; 0 leaves." + System.lineSeparator()
          + "Typed commands are available with -u USER: " + System.lineSeparator() + Shell.HELP);
    }
    return true;
  }

  private interface TextAction {
    void run(String text) throws IOException;
  }

  private boolean withText(String prompt, TextAction action) throws IOException {
    String text = askText(prompt);
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
    for (int i = 0; i < names.size(); i++) terminal.println("  " + (i + 1) + ". " + names.get(i));
    int choice = askNumber("file number (0 to go back): ", 0, names.size());
    if (choice == END_OF_INPUT) return null;
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

  /** Asks until a whole number in {@code [min, max]} is typed; {@link #END_OF_INPUT} at the end of input. */
  private int askNumber(String prompt, int min, int max) throws IOException {
    while (true) {
      String line = terminal.readLine(prompt);
      if (line == null) return END_OF_INPUT;
      String text = line.strip();
      try {
        int n = Integer.parseInt(text);
        if (n >= min && n <= max) return n;
      } catch (NumberFormatException e) {
        // falls through to the explanation below
      }
      terminal.println("'" + text + "' is not a choice; enter a number from " + min + " to " + max);
    }
  }

  /** Asks until something non-blank is typed; null at the end of input. */
  private String askText(String prompt) throws IOException {
    while (true) {
      String line = terminal.readLine(prompt);
      if (line == null) return null;
      if (!line.isBlank()) return line.strip();
      terminal.println("please type a name");
    }
  }
}
