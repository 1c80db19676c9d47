package dev.selectftp.server.storage;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rule for user names, defined once: accounts, the doors and the home layout all check this one. A
 * name doubles as the home folder's name (see {@link HomeLayout}), so the alphabet is kept to characters
 * every file system accepts and a name can never be {@code .}, {@code ..} or look like a command-line option.
 */
public final class UserNames {
  /** Longest accepted name, in characters (all ASCII, so also in bytes). */
  public static final int MAX_LENGTH = 32;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0," + (MAX_LENGTH - 1) + "}");

  private UserNames() {}

  /**
   * Accepts 1-32 characters of {@code [A-Za-z0-9_.-]} not starting with '.' or '-'.
   *
   * @throws Refused with {@link Refusal#BAD_USER_NAME} otherwise
   */
  public static void check(String name) throws Refused {
    if (name == null || name.isEmpty()) {
      throw new Refused(Refusal.BAD_USER_NAME, "user name is empty");
    }
    if (name.length() > MAX_LENGTH) {
      throw new Refused(Refusal.BAD_USER_NAME,
          "user name is longer than " + MAX_LENGTH + " characters");
    }
    if (!VALID.matcher(name).matches()) {
      throw new Refused(Refusal.BAD_USER_NAME,
          "user names use only A-Z a-z 0-9 _ - . and do not start with '.' or '-'");
    }
  }

  /** True when {@link #check} would accept {@code name}. */
  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /**
   * The key under which two names collide. Names are case-sensitive for login, but {@code Bob} and
   * {@code bob} may not both exist because their homes would be one folder on case-insensitive file systems.
   * Valid names are ASCII, so ROOT-locale folding is exact.
   */
  public static String foldCase(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
