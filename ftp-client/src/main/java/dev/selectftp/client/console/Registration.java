package dev.selectftp.client.console;

import java.io.IOException;
import java.util.Arrays;

/**
 * The questions of "Register": a user name the server's rule accepts (asked again until it does, before
 * any password), then the password twice. Mismatched passwords are said so and asked again, up to
 * {@link #PASSWORD_ROUNDS} times, then the user is back at the login menu.
 */
final class Registration {
  /** Tries at typing the same password twice before going back to the login menu. */
  static final int PASSWORD_ROUNDS = 3;

  /** A name and password to register; the caller clears {@code password}. */
  record Account(String user, char[] password) {}

  private final Terminal terminal;
  private final Ask ask;

  Registration(Terminal terminal, Ask ask) {
    this.terminal = terminal;
    this.ask = ask;
  }

  /** The account to create, or null to go back to the login menu (an empty name, the end of input). */
  Account ask() throws IOException {
    String user = askUserName();
    if (user == null) return null;
    for (int round = 1; round <= PASSWORD_ROUNDS; round++) {
      char[] first = terminal.readPassword("Input your register password>>>: ");
      if (first == null) return null;
      if (first.length == 0) {
        terminal.println("the password is empty; type one");
        continue;
      }
      char[] second = terminal.readPassword("Input the password again>>>: ");
      if (second == null) {
        Arrays.fill(first, '\0');
        return null;
      }
      boolean same = Arrays.equals(first, second);
      Arrays.fill(second, '\0');
      if (same) return new Account(user, first);
      Arrays.fill(first, '\0');
      terminal.println("the two passwords differ; type them again");
    }
    terminal.println("no account made: the passwords did not match " + PASSWORD_ROUNDS + " times");
    return null;
  }

  /** Asks until the name passes the server's rule; null on an empty line or the end of input. */
  private String askUserName() throws IOException {
    while (true) {
      String user = ask.line("Input your register user name (empty goes back)>>>: ");
      if (user == null || user.isEmpty()) return null;
      String problem = UserNameRule.problem(user);
      if (problem == null) return user;
      terminal.println("error: " + problem);
    }
  }
}
