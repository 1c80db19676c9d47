package dev.selectftp.server.accounts.postgres;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Several "nodes" on one throwaway database: each its own {@link PostgresAccounts} with its own pool,
 * listener and data folder, as separate server processes would have. A JUnit extension for each test: the
 * schema is migrated and emptied before it, the nodes closed and their folders deleted after it. Register as
 * {@code @RegisterExtension final Nodes nodes = new Nodes(PG);} beside the class's {@link ThrowawayPostgres}.
 */
final class Nodes implements BeforeEachCallback, AfterEachCallback {
  static final int ITERATIONS = ScramCredentials.MIN_ITERATIONS;
  static final long QUOTA = 1L << 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ThrowawayPostgres pg;
  private final List<PostgresAccounts> open = new ArrayList<>();
  private Path base;

  Nodes(ThrowawayPostgres pg) {
    this.pg = pg;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException, SQLException {
    base = Files.createTempDirectory("selectftp-nodes-");
    PostgresDatabase.open(pg.parsedUrl()).close();
    pg.execute("TRUNCATE users CASCADE");
  }

  /** Where node N keeps its homes: {@code base/nodeN}; also a free folder for a server's data. */
  Path folder(String name) {
    return base.resolve(name);
  }

  /** A node with its own data folder {@code base/nodeN}. */
  PostgresAccounts node() throws IOException {
    return node(PostgresAccounts.DEFAULT_RESYNC);
  }

  PostgresAccounts node(Duration resync) throws IOException {
    Path data = Files.createDirectories(folder("node" + (open.size() + 1)));
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
  public void afterEach(ExtensionContext context) throws IOException {
    open.forEach(PostgresAccounts::close);
    open.clear();
    try (Stream<Path> all = Files.walk(base)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
