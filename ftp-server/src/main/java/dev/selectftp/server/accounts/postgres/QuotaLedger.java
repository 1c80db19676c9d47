package dev.selectftp.server.accounts.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Byte quotas that hold across nodes: an upload first {@link #reserve reserves} its bytes, then
 * {@link #commit commits} what it stored or {@link #release releases} the rest. Each is ONE statement on the
 * account's usage row. PostgreSQL locks that row for the UPDATE and, when another transaction changed it
 * meanwhile, evaluates the WHERE clause again on the newest row: two nodes racing for the last bytes are
 * ordered by the row lock, and the second sees the first's reservation. No read-then-write, so no window.
 * Blocking: helper threads only. Thread-safe.
 */
public final class QuotaLedger {
  /** used + reserved + wanted must stay within the quota, checked on the row being changed. */
  static final String RESERVE = "UPDATE usage AS u SET reserved_bytes = u.reserved_bytes + ?"
      + " FROM users AS s"
      + " WHERE u.name = ? AND s.name = u.name AND u.used_bytes + u.reserved_bytes + ? <= s.quota_bytes"
      + " RETURNING u.used_bytes, u.reserved_bytes, s.quota_bytes";
  private static final String COMMIT = "UPDATE usage AS u"
      + " SET reserved_bytes = u.reserved_bytes - ?, used_bytes = u.used_bytes + ?"
      + " FROM users AS s WHERE u.name = ? AND s.name = u.name AND u.reserved_bytes >= ?"
      + " RETURNING u.used_bytes, u.reserved_bytes, s.quota_bytes";
  static final String RELEASE = "UPDATE usage AS u SET reserved_bytes = u.reserved_bytes - ?"
      + " FROM users AS s WHERE u.name = ? AND s.name = u.name AND u.reserved_bytes >= ?"
      + " RETURNING u.used_bytes, u.reserved_bytes, s.quota_bytes";
  private static final String READ = "SELECT u.used_bytes, u.reserved_bytes, s.quota_bytes"
      + " FROM usage AS u JOIN users AS s ON s.name = u.name WHERE u.name = ?";

  /** A node's fresh count of the home: used is raised to it, never lowered (other nodes' uploads). */
  private static final String RAISE = "UPDATE usage SET used_bytes = GREATEST(used_bytes, ?) WHERE name = ?";

  private final PostgresDatabase db;

  public QuotaLedger(PostgresDatabase db) {
    this.db = db;
  }

  /**
   * Reserves {@code bytes} for {@code user} if they fit under the quota with everything used and reserved.
   *
   * @return the usage after the reservation, or empty when it would exceed the quota (or there is no such user)
   */
  public Optional<Usage> reserve(String user, long bytes) throws IOException {
    return run(RESERVE, user, bytes);
  }

  /**
   * Turns {@code reserved} bytes of a reservation into {@code stored} used bytes ({@code stored <= reserved};
   * the difference is released).
   *
   * @return the usage after, or empty when {@code user} has no such reservation (or no account any more)
   */
  public Optional<Usage> commit(String user, long reserved, long stored) throws IOException {
    requireNonNegative(stored);
    if (stored > reserved) throw new IllegalArgumentException("cannot commit more than was reserved");
    return run(COMMIT, s -> {
      s.setLong(1, reserved);
      s.setLong(2, stored);
      s.setString(3, user);
      s.setLong(4, reserved);
    });
  }

  /** Gives back {@code bytes} of a reservation; empty when {@code user} has no such reservation. */
  public Optional<Usage> release(String user, long bytes) throws IOException {
    return run(RELEASE, user, bytes);
  }

  /** Raises the used bytes to {@code counted} (a node's fresh count of the home) when they are lower. */
  public void raiseTo(String user, long counted) throws IOException {
    requireNonNegative(counted);
    NodeStatements.run(db, RAISE, s -> {
      s.setLong(1, counted);
      s.setString(2, user);
    });
  }

  /** The account's usage now; empty when there is no such user. */
  public Optional<Usage> usage(String user) throws IOException {
    return run(READ, s -> s.setString(1, user));
  }

  /** A statement whose parameters are (bytes, user, bytes), as {@link #RESERVE} and {@link #RELEASE} have. */
  private Optional<Usage> run(String sql, String user, long bytes) throws IOException {
    requireNonNegative(bytes);
    return run(sql, s -> {
      s.setLong(1, bytes);
      s.setString(2, user);
      s.setLong(3, bytes);
    });
  }

  private Optional<Usage> run(String sql, NodeStatements.Binder binder) throws IOException {
    try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Usage(rs.getLong(1), rs.getLong(2), rs.getLong(3))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw db.unavailable(e);
    }
  }

  private static void requireNonNegative(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("bytes must not be negative");
  }
}
