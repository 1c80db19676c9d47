package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.files.FileStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every door asks before each command of a logged-in session: does the account it logged into still
 * exist? Not once removed, and not for another account that now has the name.
 */
class LoginsStillExistsTest {
  @TempDir Path data;

  @Test
  void aLoginsAccountExistsUntilItIsRemovedAndNeverForAnotherAccountOfTheName() throws Exception {
    Accounts accounts = Accounts.open(data, 0, ScramCredentials.MIN_ITERATIONS);
    Logins logins = new Logins(accounts, new LoginThrottle(System::nanoTime));
    User una = accounts.create("una", new ScramCredentials(new byte[16], ScramCredentials.MIN_ITERATIONS,
        new byte[32], new byte[32]));
    FileStore files = new FileStore(data);
    Login login = new Login("una", una.created(), files.home("una"), "/");
    assertTrue(logins.stillExists(login));
    assertFalse(logins.stillExists(new Login("una", una.created() + "-earlier", files.home("una"), "/")),
        "a login of an earlier account of the name");
    accounts.remove("una");
    assertFalse(logins.stillExists(login));
  }
}
