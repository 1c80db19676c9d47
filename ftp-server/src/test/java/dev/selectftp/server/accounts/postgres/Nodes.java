package dev.selectftp.server.accounts.postgres;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several "nodes" on one throwaway database: each its own {@link PostgresAccounts} with its own pool,
 * listener and data folder, as separate server processes would have. Closes them all.
 */
final class Nodes implements AutoCloseable {
  static final int ITERATIONS = ScramCredentials.MIN_ITERATIONS;
  static final long QUOTA = 1L << 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ThrowawayPostgres pg;
  private final Path base;
  private final List<PostgresAccounts> open = new ArrayList<>();

  /** Nodes on {@code pg} with their data folders under {@code base}; the schema is migrated and emptied first. */
  Nodes(ThrowawayPostgres pg, Path base) throws IOException, java.sql.SQLException {
    this.pg = pg;
    this.base = base;
    PostgresDatabase.open(pg.parsedUrl()).close();
    pg.execute("TRUNCATE users CASCADE");
  }

  /** A node with its own data folder {@code base/nodeN}. */
  PostgresAccounts node() throws IOException {
    return node(PostgresAccounts.DEFAULT_RESYNC);
  }

  PostgresAccounts node(Duration resync) throws IOException {
    Path data = Files.createDirectories(base.resolve("node" + (open.size() + 1)));
    PostgresAccounts accounts = PostgresAccounts.open(pg.parsedUrl(), data, QUOTA, ITERATIONS, resync);
    open.add(accounts);
    return accounts;
  }

  static ScramCredentials credentials(String password) {
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    RANDOM.nextBytes(salt);
    return ScramCredentials.derive(password.toCharArray(), salt, ITERATIONS);
  }

  @Override
  public void close() {
    open.forEach(PostgresAccounts::close);
  }
}
