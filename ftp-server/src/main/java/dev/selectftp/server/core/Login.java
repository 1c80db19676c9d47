package dev.selectftp.server.core;

import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.storage.HomeStore;

/**
 * A logged-in user, their sandbox and their current folder ("/" is the home).
 *
 * @param account the account's creation stamp: a name removed and registered again is another account, and
 *     a session of the old one must not reach the newcomer's files
 */
public record Login(String user, String account, HomeStore home, String cwd) {
  public Login withCwd(String newCwd) {
    return new Login(user, account, home, newCwd);
  }

  /**
   * True while the account this login belongs to still exists: not removed, nor removed and registered again
   * (then the home at that name belongs to the newcomer). Every door asks before each command. From memory.
   */
  public boolean accountStillExists(AccountRepository accounts) {
    return accounts.find(user).map(u -> u.created().equals(account)).orElse(false);
  }
}
