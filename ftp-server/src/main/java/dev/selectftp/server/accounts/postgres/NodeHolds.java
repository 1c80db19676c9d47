package dev.selectftp.server.accounts.postgres;

import java.io.IOException;

/**
 * One node's reservations in the shared ledger: {@link QuotaLedger}'s atomic reservation, also recorded under the
 * node's id in {@code quota_holds}, so that a node starting again after a crash ({@code kill -9}, power loss) gives
 * back what its dead uploads held ({@link #releaseAll}) instead of leaving it reserved for good. Each method is ONE
 * statement (a data-modifying WITH): the usage row and the node's row change together or not at all. Blocking:
 * helper threads only. Thread-safe.
 */
public final class NodeHolds {
  /** {@link QuotaLedger#RESERVE}'s check-and-add on the usage row, then the same bytes added to this node's row. */
  private static final String RESERVE = "WITH r AS (UPDATE usage AS u SET reserved_bytes = u.reserved_bytes + ?"
      + " FROM users AS s"
      + " WHERE u.name = ? AND s.name = u.name AND u.used_bytes + u.reserved_bytes + ? <= s.quota_bytes"
      + " RETURNING u.name)"
      + " INSERT INTO quota_holds AS h (node, name, bytes) SELECT ?::text, name, ?::bigint FROM r"
      + " ON CONFLICT (node, name) DO UPDATE SET bytes = h.bytes + EXCLUDED.bytes RETURNING h.bytes";
  /**
   * Releases what this node's row still holds of {@code released} (nothing once {@link #releaseAll} gave it back)
   * and adds the upload's change on disk to the used bytes.
   */
  private static final String SETTLE = "WITH h AS (UPDATE quota_holds SET bytes = bytes - ?"
      + " WHERE node = ? AND name = ? AND bytes >= ? RETURNING ?::bigint AS released)"
      + " UPDATE usage SET reserved_bytes = GREATEST(0, reserved_bytes - COALESCE((SELECT released FROM h), 0)),"
      + " used_bytes = GREATEST(0, used_bytes + ?) WHERE name = ?";
  /** Everything this node held, given back to each account's usage row. */
  private static final String RELEASE_ALL = "WITH gone AS (DELETE FROM quota_holds WHERE node = ? RETURNING name, bytes)"
      + " UPDATE usage AS u SET reserved_bytes = GREATEST(0, u.reserved_bytes - g.total)"
      + " FROM (SELECT name, sum(bytes) AS total FROM gone GROUP BY name) AS g WHERE u.name = g.name";

  private final PostgresDatabase db;
  private final String node;

  NodeHolds(PostgresDatabase db, String node) {
    this.db = db;
    this.node = node;
  }

  /** Reserves {@code bytes} if they fit under the user's quota with everything used and reserved on every node. */
  public boolean reserve(String user, long bytes) throws IOException {
    requireNonNegative(bytes);
    return run(RESERVE, s -> {
      s.setLong(1, bytes);
      s.setString(2, user);
      s.setLong(3, bytes);
      s.setString(4, node);
      s.setLong(5, bytes);
    }) > 0;
  }

  /**
   * Ends a hold: {@code released} bytes leave this node's reservation (if it still holds them) and
   * {@code storedDelta} is added to the used bytes (never below 0). With {@code released} 0 it records a change
   * made outside any upload (a delete).
   */
  public void settle(String user, long released, long storedDelta) throws IOException {
    requireNonNegative(released);
    run(SETTLE, s -> {
      s.setLong(1, released);
      s.setString(2, node);
      s.setString(3, user);
      s.setLong(4, released);
      s.setLong(5, released);
      s.setLong(6, storedDelta);
      s.setString(7, user);
    });
  }

  /**
   * Gives back every reservation this node holds: at its start, when none of its uploads can be running.
   *
   * @return how many accounts got bytes back
   */
  public int releaseAll() throws IOException {
    return run(RELEASE_ALL, s -> s.setString(1, node));
  }

  private int run(String sql, NodeStatements.Binder binder) throws IOException {
    return NodeStatements.run(db, sql, binder);
  }

  private static void requireNonNegative(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("bytes must not be negative");
  }
}
