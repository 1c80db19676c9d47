package dev.selectftp.server.accounts.postgres;

import java.io.IOException;

/**
 * Which nodes are alive, by the database's clock: each running node writes its row in {@code nodes} every few
 * seconds ({@link #beat}), and any node gives back the reservations ({@code quota_holds}) and upload locks of a
 * node whose row is older than the timeout, or that has none ({@link #reapSilent}): a node killed for good no
 * longer needs an operator. Each method is ONE statement; two nodes reaping at once give nothing back twice (the
 * second DELETE finds the rows gone). Blocking: helper threads only. Thread-safe.
 */
public final class NodeLiveness {
  private static final String BEAT = "INSERT INTO nodes AS n (node) VALUES (?)"
      + " ON CONFLICT (node) DO UPDATE SET seen = now() RETURNING n.node";
  /** A node is silent when no row of it was written within the timeout (milliseconds, the second parameter). */
  private static final String SILENT = " x.node <> ? AND NOT EXISTS (SELECT 1 FROM nodes AS n"
      + " WHERE n.node = x.node AND n.seen > now() - ?::bigint * interval '1 millisecond')";
  /** The silent nodes' holds deleted and their bytes given back to each account's usage row, together. */
  private static final String REAP_HOLDS = "WITH gone AS (DELETE FROM quota_holds AS x WHERE" + SILENT
      + " RETURNING name, bytes)"
      + " UPDATE usage AS u SET reserved_bytes = GREATEST(0, u.reserved_bytes - g.total)"
      + " FROM (SELECT name, sum(bytes) AS total FROM gone GROUP BY name) AS g WHERE u.name = g.name"
      + " RETURNING u.name";
  private static final String REAP_LOCKS = "DELETE FROM upload_locks AS x WHERE" + SILENT;

  private final PostgresDatabase db;
  private final String node;

  NodeLiveness(PostgresDatabase db, String node) {
    this.db = db;
    this.node = node;
  }

  /** Writes this node's row with the database's time now. */
  public void beat() throws IOException {
    NodeStatements.run(db, BEAT, s -> s.setString(1, node));
  }

  /**
   * Gives back what the nodes silent for longer than {@code timeoutMillis} hold (never this node's own).
   *
   * @return {accounts given bytes back, locks freed}
   */
  public int[] reapSilent(long timeoutMillis) throws IOException {
    NodeStatements.Binder silent = s -> {
      s.setString(1, node);
      s.setLong(2, timeoutMillis);
    };
    int accounts = NodeStatements.run(db, REAP_HOLDS, silent);
    int locks = NodeStatements.run(db, REAP_LOCKS, silent);
    return new int[] {accounts, locks};
  }
}
