package dev.selectftp.server;

import dev.selectftp.common.LogText;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.postgres.NodeHolds;
import dev.selectftp.server.accounts.postgres.PostgresAccounts;
import dev.selectftp.server.accounts.postgres.QuotaLedger;
import dev.selectftp.server.accounts.postgres.Usage;
import dev.selectftp.server.quota.LedgerQuota;
import dev.selectftp.server.quota.SharedQuota;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link SharedQuota} a server's quotas write to: PostgreSQL's ledger when the accounts live there (several
 * nodes may share them), none with users.json. Joins the two rooms, which do not know each other. The node's
 * reservations are recorded under an id kept in its data folder ({@value #NODE_ID_FILE}) and given back when it
 * starts: a node that crashed with uploads in flight does not leave their bytes reserved for good.
 */
final class SharedLedger implements LedgerQuota.Ledger {
  private static final Logger log = LoggerFactory.getLogger(SharedLedger.class);
  static final String NODE_ID_FILE = "node-id";
  private final QuotaLedger ledger;
  private final NodeHolds holds;

  private SharedLedger(QuotaLedger ledger, NodeHolds holds) {
    this.ledger = ledger;
    this.holds = holds;
  }

  /**
   * The shared side of the quotas for {@code accounts}; close it (when {@link AutoCloseable}) with the server.
   * Blocking (reads the node id, gives back what an earlier run of this node held): at start only.
   */
  static SharedQuota of(AccountRepository accounts, Path dataDir) throws IOException {
    if (!(accounts instanceof PostgresAccounts pg)) return SharedQuota.LOCAL;
    NodeHolds holds = pg.holds(nodeId(dataDir));
    try {
      int accountsBack = holds.releaseAll();
      if (accountsBack > 0) {
        log.info("quota ledger: gave back the reservations of {} accounts that this node's last run left", accountsBack);
      }
    } catch (IOException e) {
      log.warn("quota ledger: could not give back this node's old reservations: {}", LogText.of(e.getMessage()));
    }
    return new LedgerQuota(new SharedLedger(pg.ledger(), holds));
  }

  /** This node's id: made at its first start with a ledger, then kept in the data folder. */
  private static String nodeId(Path dataDir) throws IOException {
    Path file = dataDir.resolve(NODE_ID_FILE);
    try {
      Files.writeString(file, UUID.randomUUID() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException kept) {
      // The id of this node's earlier runs, whose reservations are given back.
    }
    return Files.readString(file, StandardCharsets.US_ASCII).strip();
  }

  /** Lets the statements still queued finish (before the accounts' pool closes). */
  static void close(SharedQuota shared) {
    if (shared instanceof LedgerQuota ledger) ledger.close();
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
