package dev.selectftp.server.accounts.postgres;

import java.io.IOException;

/**
 * One node's upload locks in {@code upload_locks}: a row per name being uploaded on some node, so two nodes never
 * write one target at once. The node's own {@code transfer.UploadLocks} is taken first, so a row this node holds
 * is never wanted twice by this node. Each method is ONE statement. Blocking: helper threads only. Thread-safe.
 */
public final class NodeLocks {
  /**
   * Takes the row, or takes over a row of this very node (left by a release that could not be written: the node's
   * own lock proves no upload of it still holds the name); another node's row stays and nothing is returned.
   */
  private static final String TAKE = "INSERT INTO upload_locks AS l (name, path, node) VALUES (?, ?, ?)"
      + " ON CONFLICT (name, path) DO UPDATE SET since = now() WHERE l.node = EXCLUDED.node RETURNING l.node";
  private static final String FREE = "DELETE FROM upload_locks WHERE name = ? AND path = ? AND node = ?";
  /** Anything at or under the path held by another node ({@code path} is a normalized virtual path). */
  private static final String HELD_ELSEWHERE = "SELECT 1 FROM upload_locks WHERE name = ? AND node <> ?"
      + " AND (path = ? OR left(path, length(?) + 1) = ? || '/') LIMIT 1";
  private static final String FREE_ALL = "DELETE FROM upload_locks WHERE node = ?";

  private final PostgresDatabase db;
  private final String node;

  NodeLocks(PostgresDatabase db, String node) {
    this.db = db;
    this.node = node;
  }

  /** Takes {@code path} of {@code user} for this node; false when another node holds it. */
  public boolean take(String user, String path) throws IOException {
    return NodeStatements.run(db, TAKE, s -> {
      s.setString(1, user);
      s.setString(2, path);
      s.setString(3, node);
    }) > 0;
  }

  /** Gives {@code path} of {@code user} back; nothing when this node does not hold it (any more). */
  public void free(String user, String path) throws IOException {
    NodeStatements.run(db, FREE, s -> {
      s.setString(1, user);
      s.setString(2, path);
      s.setString(3, node);
    });
  }

  /** True when another node uploads {@code path} of {@code user} or something inside it (a folder). */
  public boolean heldElsewhereAtOrUnder(String user, String path) throws IOException {
    String folder = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return NodeStatements.run(db, HELD_ELSEWHERE, s -> {
      s.setString(1, user);
      s.setString(2, node);
      s.setString(3, path);
      s.setString(4, folder);
      s.setString(5, folder);
    }) > 0;
  }

  /**
   * Gives back every lock this node holds: at its start, when none of its uploads can be running.
   *
   * @return how many locks were given back
   */
  public int freeAll() throws IOException {
    return NodeStatements.run(db, FREE_ALL, s -> s.setString(1, node));
  }
}
