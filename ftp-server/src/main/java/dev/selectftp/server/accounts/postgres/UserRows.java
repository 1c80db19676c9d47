package dev.selectftp.server.accounts.postgres;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.storage.UserNames;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The users table's statements and the mapping between its rows and {@link User}, defined once. */
final class UserRows {
  /** The columns every statement that returns users returns, in this order. */
  static final String COLUMNS = "name, salt, iterations, stored_key, server_key, quota_bytes, created";
  /** SQLSTATE of a unique index refusing a row: the name (in some letter case) is taken. */
  static final String UNIQUE_VIOLATION = "23505";

  private UserRows() {}

  /** Inserts {@code u}; a taken name fails with {@link #UNIQUE_VIOLATION} unless {@code skipTaken}. */
  static boolean insert(Connection c, User u, boolean skipTaken) throws SQLException {
    String sql = "INSERT INTO users (name, name_folded, salt, iterations, stored_key, server_key, quota_bytes, created)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)" + (skipTaken ? " ON CONFLICT DO NOTHING" : "");
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, u.name());
      s.setString(2, UserNames.foldCase(u.name()));
      setCredentials(s, 3, u.credentials());
      s.setLong(7, u.quotaBytes());
      s.setTimestamp(8, Timestamp.from(Instant.parse(u.created())));
      return s.executeUpdate() == 1;
    }
  }

  static Optional<User> updateCredentials(Connection c, String name, ScramCredentials k) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE users SET salt = ?, iterations = ?, stored_key = ?,"
        + " server_key = ? WHERE name = ? RETURNING " + COLUMNS)) {
      setCredentials(s, 1, k);
      s.setString(5, name);
      return one(s);
    }
  }

  static Optional<User> updateQuota(Connection c, String name, long bytes) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE users SET quota_bytes = ? WHERE name = ? RETURNING " + COLUMNS)) {
      s.setLong(1, bytes);
      s.setString(2, name);
      return one(s);
    }
  }

  static Optional<User> delete(Connection c, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM users WHERE name = ? RETURNING " + COLUMNS)) {
      s.setString(1, name);
      return one(s);
    }
  }

  /** Every user, in no particular order. */
  static List<User> all(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM users")) {
      return many(s);
    }
  }

  /** The users among {@code names} that exist; a name missing from the answer has no account. */
  static List<User> named(Connection c, Collection<String> names) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE name = ANY (?)")) {
      Array array = c.createArrayOf("text", names.toArray());
      s.setArray(1, array);
      return many(s);
    }
  }

  private static void setCredentials(PreparedStatement s, int first, ScramCredentials k) throws SQLException {
    s.setBytes(first, k.salt());
    s.setInt(first + 1, k.iterations());
    s.setBytes(first + 2, k.storedKey());
    s.setBytes(first + 3, k.serverKey());
  }

  private static Optional<User> one(PreparedStatement s) throws SQLException {
    List<User> users = many(s);
    return users.isEmpty() ? Optional.empty() : Optional.of(users.get(0));
  }

  private static List<User> many(PreparedStatement s) throws SQLException {
    List<User> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) out.add(user(rs));
    }
    return out;
  }

  private static User user(ResultSet rs) throws SQLException {
    ScramCredentials k = new ScramCredentials(rs.getBytes("salt"), rs.getInt("iterations"),
        rs.getBytes("stored_key"), rs.getBytes("server_key"));
    Instant created = rs.getTimestamp("created").toInstant().truncatedTo(ChronoUnit.SECONDS);
    return new User(rs.getString("name"), k, rs.getLong("quota_bytes"), created.toString());
  }
}
