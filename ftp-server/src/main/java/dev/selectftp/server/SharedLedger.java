package dev.selectftp.server;

import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.postgres.PostgresAccounts;
import dev.selectftp.server.accounts.postgres.QuotaLedger;
import dev.selectftp.server.accounts.postgres.Usage;
import dev.selectftp.server.quota.LedgerQuota;
import dev.selectftp.server.quota.SharedQuota;
import java.io.IOException;

/**
 * Which {@link SharedQuota} a server's quotas write to: PostgreSQL's {@link QuotaLedger} when the accounts live
 * there (several nodes may share them), none with users.json. Joins the two rooms, which do not know each other.
 */
final class SharedLedger implements LedgerQuota.Ledger {
  private final QuotaLedger ledger;

  private SharedLedger(QuotaLedger ledger) {
    this.ledger = ledger;
  }

  /** The shared side of the quotas for {@code accounts}; close it (when {@link AutoCloseable}) with the server. */
  static SharedQuota of(AccountRepository accounts) {
    if (accounts instanceof PostgresAccounts pg) return new LedgerQuota(new SharedLedger(pg.ledger()));
    return SharedQuota.LOCAL;
  }

  /** Lets the statements still queued finish (before the accounts' pool closes). */
  static void close(SharedQuota shared) {
    if (shared instanceof LedgerQuota ledger) ledger.close();
  }

  @Override
  public boolean reserve(String user, long bytes) throws IOException {
    return ledger.reserve(user, bytes).isPresent();
  }

  @Override
  public void settle(String user, long released, long storedDelta) throws IOException {
    ledger.settle(user, released, storedDelta);
  }

  @Override
  public void raiseTo(String user, long bytes) throws IOException {
    ledger.raiseTo(user, bytes);
  }

  @Override
  public long[] room(String user) throws IOException {
    Usage u = ledger.usage(user).orElse(new Usage(0, 0, 0));
    return new long[] {Math.max(0, u.quotaBytes() - u.usedBytes() - u.reservedBytes()), u.quotaBytes()};
  }
}
