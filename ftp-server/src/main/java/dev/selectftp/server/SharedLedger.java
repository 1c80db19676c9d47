package dev.selectftp.server;

import dev.selectftp.server.accounts.postgres.NodeHolds;
import dev.selectftp.server.accounts.postgres.PostgresAccounts;
import dev.selectftp.server.accounts.postgres.QuotaLedger;
import dev.selectftp.server.accounts.postgres.Usage;
import dev.selectftp.server.quota.LedgerQuota;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * The shared ledger's statements for {@link LedgerQuota}: the node's reservations through {@link NodeHolds}
 * (recorded under its id, so what it holds can be given back when it restarts or falls silent, see
 * {@link ClusterNode}), the rest on the usage rows. Joins the two rooms, which do not know each other.
 */
final class SharedLedger implements LedgerQuota.Ledger {
  private final QuotaLedger ledger;
  private final NodeHolds holds;

  private SharedLedger(QuotaLedger ledger, NodeHolds holds) {
    this.ledger = ledger;
    this.holds = holds;
  }

  /** The shared side of the quotas on {@code pg}, answers posted to {@code results} (the loop); close it last. */
  static LedgerQuota of(PostgresAccounts pg, NodeHolds holds, Executor results) {
    return new LedgerQuota(new SharedLedger(pg.ledger(), holds), results);
  }

  @Override
  public boolean reserve(String user, long bytes) throws IOException {
    return holds.reserve(user, bytes);
  }

  @Override
  public void settle(String user, long released, long storedDelta) throws IOException {
    holds.settle(user, released, storedDelta);
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
