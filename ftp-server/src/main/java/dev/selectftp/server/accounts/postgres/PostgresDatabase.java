package dev.selectftp.server.accounts.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.selectftp.server.accounts.ServerSecret;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's way into the accounts database: a small pool for the writes, a dedicated connection for
 * LISTEN, and the schema brought up to date with Flyway when opened (every node may run the migrations;
 * Flyway takes a lock, so two nodes starting at once apply each version once). Every wait is bounded, so a
 * database that stops answering turns into an error within seconds, never a hung helper thread.
 */
public final class PostgresDatabase implements AutoCloseable {
  /** Where the versioned SQL scripts are on the class path (V1__accounts.sql, ...). */
  static final String MIGRATIONS = "classpath:db/selectftp";
  /** Writes are rare (registrations, admin commands); a handful of connections per node is plenty. */
  private static final int POOL_SIZE = 4;
  /** How long a write waits for a pooled connection before it reports the database unavailable. */
  private static final long POOL_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(3);
  /** pgjdbc's TCP connect limit, in seconds. */
  private static final int CONNECT_TIMEOUT_SECONDS = 3;
  /** pgjdbc's read limit, in seconds: a statement whose answer never comes fails instead of hanging. */
  private static final int SOCKET_TIMEOUT_SECONDS = 30;
  /** SQLSTATE class of connection failures. */
  private static final String CONNECTION_CLASS = "08";

  private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);

  private final PostgresUrl url;
  private final HikariDataSource pool;

  private PostgresDatabase(PostgresUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
  }

  /**
   * Connects and migrates the schema.
   *
   * @throws IOException with one line naming the database (never its password) when it cannot be reached or
   *     migrated
   */
  public static PostgresDatabase open(PostgresUrl url) throws IOException {
    HikariConfig config = new HikariConfig();
    config.setPoolName("selectftp-accounts");
    config.setJdbcUrl(url.jdbcUrl());
    config.setDataSourceProperties(connectionProperties(url));
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(POOL_WAIT_MILLIS);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      throw new IOException("cannot reach the accounts database " + url + ": " + rootMessage(e), e);
    }
    try {
      Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
    } catch (FlywayException e) {
      pool.close();
      throw new IOException("cannot bring the accounts database " + url + " up to date: " + rootMessage(e), e);
    }
    log.info("accounts in PostgreSQL at {}", url);
    return new PostgresDatabase(url, pool);
  }

  /** The database, for messages: never shows the password. */
  public PostgresUrl url() {
    return url;
  }

  /** A pooled connection; close it to give it back. */
  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /** A connection of its own, outside the pool, for a session that stays open (LISTEN). */
  Connection dedicatedConnection() throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), connectionProperties(url));
  }

  /**
   * The key every node derives fabricated challenges from: made once by whichever node comes first, then
   * the same for all.
   */
  byte[] serverSecret() throws IOException {
    byte[] fresh = new byte[ServerSecret.BYTES];
    new SecureRandom().nextBytes(fresh);
    try (Connection c = connection();
        PreparedStatement insert = c.prepareStatement(
            "INSERT INTO server_secret (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING");
        PreparedStatement select = c.prepareStatement("SELECT secret FROM server_secret WHERE id = 1")) {
      insert.setBytes(1, fresh);
      insert.executeUpdate();
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) throw new IOException("the accounts database lost its server secret");
        return rs.getBytes(1);
      }
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  /** True when {@code e} means the database could not be reached (rather than a refused statement). */
  static boolean isConnectionFailure(SQLException e) {
    return e instanceof SQLTransientConnectionException
        || (e.getSQLState() != null && e.getSQLState().startsWith(CONNECTION_CLASS));
  }

  /** An operator's one line for a failed statement; says so plainly when the database is unreachable. */
  IOException unavailable(SQLException e) {
    String what = isConnectionFailure(e) ? "the accounts database " + url + " is unavailable"
        : "the accounts database " + url + " refused the change";
    return new IOException(what + ": " + rootMessage(e), e);
  }

  private static Properties connectionProperties(PostgresUrl url) {
    Properties p = new Properties();
    if (url.user() != null) p.setProperty("user", url.user());
    if (url.password() != null) p.setProperty("password", url.password());
    p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    p.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "selectftp");
    return p;
  }

  /** The deepest cause's message (the driver wraps the reason), its first line; never a password. */
  private static String rootMessage(Throwable e) {
    String message = e.getClass().getSimpleName();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
    }
    return message.lines().findFirst().orElse(message);
  }

  @Override
  public void close() {
    pool.close();
  }
}
