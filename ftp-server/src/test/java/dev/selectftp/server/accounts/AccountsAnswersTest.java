package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the account store answers to each change: the account as it now is, and the bounds it accepts. */
class AccountsAnswersTest {
  private static final int ITERATIONS = ScramCredentials.MIN_ITERATIONS;
  @TempDir Path data;

  private static ScramCredentials keys(int first) {
    byte[] stored = new byte[32];
    stored[0] = (byte) first;
    return new ScramCredentials(new byte[16], ITERATIONS, stored, new byte[32]);
  }

  @Test
  void aNewAccountGetsTheDefaultQuotaWhichMayBeZero() throws Exception {
    Accounts accounts = Accounts.open(data, 0, ITERATIONS);
    assertEquals(0, accounts.defaultQuotaBytes());
    User carol = accounts.create("carol", keys(1));
    assertEquals("carol", carol.name());
    assertEquals(0, carol.quotaBytes());
    assertEquals(carol, accounts.find("carol").orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> Accounts.open(data.resolve("other"), -1, ITERATIONS));
  }

  @Test
  void aNonZeroDefaultQuotaIsWhatTheStoreAnswersAndWhatANewAccountGets() throws Exception {
    long fiveMiB = 5L << 20;
    Accounts accounts = Accounts.open(data, fiveMiB, ITERATIONS);
    assertEquals(fiveMiB, accounts.defaultQuotaBytes());
    assertEquals(fiveMiB, accounts.create("erin", keys(1)).quotaBytes());
  }

  @Test
  void changesAnswerTheAccountAsItNowIs() throws Exception {
    Accounts accounts = Accounts.open(data, 1 << 20, ITERATIONS);
    accounts.create("dave", keys(1), 5);
    assertEquals(keys(2), accounts.updateCredentials("dave", keys(2)).orElseThrow().credentials());
    assertEquals(keys(2), accounts.find("dave").orElseThrow().credentials());
    assertEquals(0, accounts.setQuota("dave", 0).orElseThrow().quotaBytes());
    assertThrows(IllegalArgumentException.class, () -> accounts.setQuota("dave", -1));
    assertTrue(accounts.setQuota("nobody", 1).isEmpty());
    assertDoesNotThrow(() -> accounts.remove("dave"));
    assertTrue(accounts.find("dave").isEmpty());
  }
}
