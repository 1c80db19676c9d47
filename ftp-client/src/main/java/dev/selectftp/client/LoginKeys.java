package dev.selectftp.client;

import dev.selectftp.common.ScramClient;
import dev.selectftp.common.ScramKeys;

/**
 * Where {@link FtpClient#login(String, char[], LoginKeys)} looks for the SCRAM keys of a password before it
 * derives them (one PBKDF2 run of the server's iteration count), and where it hands keys the server accepted.
 * One instance speaks for one server. A store must never fail a login: it answers null and swallows its own
 * trouble.
 */
public interface LoginKeys {
  /** Keeps nothing: every login derives its keys. */
  LoginKeys NONE = new LoginKeys() {
    @Override
    public ScramKeys find(String user, char[] password, ScramClient.Challenge challenge) {
      return null;
    }

    @Override
    public void keep(String user, char[] password, ScramClient.Challenge challenge, ScramKeys keys) {}

    @Override
    public void forget(String user, ScramClient.Challenge challenge) {}
  };

  /**
   * The keys kept for {@code user} under {@code challenge}'s salt and iteration count, provided they open
   * with {@code password}; null otherwise (then the login derives them).
   */
  ScramKeys find(String user, char[] password, ScramClient.Challenge challenge);

  /** Called after the server accepted keys derived from {@code password} (not ones {@link #find} gave). */
  void keep(String user, char[] password, ScramClient.Challenge challenge, ScramKeys keys);

  /** Called when the server refused keys that {@link #find} gave: they are stale. */
  void forget(String user, ScramClient.Challenge challenge);
}
