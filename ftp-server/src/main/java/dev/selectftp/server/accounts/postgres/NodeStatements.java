package dev.selectftp.server.accounts.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Runs one-statement changes on the shared rows ({@link NodeHolds}, {@link NodeLocks}, {@link NodeLiveness}, {@link QuotaLedger}). */
final class NodeStatements {
  private NodeStatements() {}

  interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  /** Runs one statement on a pooled connection; returns the rows it returned ({@code RETURNING}) or else changed. */
  static int run(PostgresDatabase db, String sql, Binder binder) throws IOException {
    try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      if (!s.execute()) return s.getUpdateCount();
      int rows = 0;
      try (ResultSet rs = s.getResultSet()) {
        while (rs.next()) rows++;
      }
      return rows;
    } catch (SQLException e) {
      throw db.unavailable(e);
    }
  }
}
