package dev.selectftp.client.console;

import java.util.regex.Pattern;

/**
 * The server's rule for user names, mirrored so that registration can refuse a bad name before the user
 * types a password twice and the client spends a PBKDF2 run. The server's
 * {@code dev.selectftp.server.storage.UserNames} is the authority (the client does not depend on the server
 * module); {@code UserNameRuleTest} compares the two on a list of names so they cannot drift apart unseen.
 */
final class UserNameRule {
  /** Longest accepted name, in characters; the server's {@code UserNames.MAX_LENGTH}. */
  static final int MAX_LENGTH = 32;

  private static final Pattern VALID =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0," + (MAX_LENGTH - 1) + "}");

  private UserNameRule() {}

  /** Null when the server would accept {@code name}; otherwise what is wrong with it, said to the user. */
  static String problem(String name) {
    if (name == null || name.isEmpty()) return "user name is empty";
    if (name.length() > MAX_LENGTH) return "user name is longer than " + MAX_LENGTH + " characters";
    if (!VALID.matcher(name).matches()) {
      return "user names use only A-Z a-z 0-9 _ - . and do not start with '.' or '-'";
    }
    return null;
  }
}
