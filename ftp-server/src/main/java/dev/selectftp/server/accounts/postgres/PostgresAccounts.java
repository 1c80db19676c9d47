package dev.selectftp.server.accounts.postgres;

import dev.selectftp.common.LogText;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.FabricatedCredentials;
import dev.selectftp.server.accounts.Removal;
import dev.selectftp.server.accounts.RetiredHomes;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.HomeLayout;
import dev.selectftp.server.storage.UserNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts kept in PostgreSQL, shared by every node that names the same database. Lookups answer from an
 * in-memory mirror of the users table ({@link UsersMirror}), loaded at open and kept fresh by LISTEN/NOTIFY
 * ({@link UserChangeListener}), so the event loop never waits on the database, and logins of known users go
 * on while it is down. Writes are one transaction each, blocking (helper threads only), and show in this
 * node's mirror when they return; other nodes see them within about a second, or at once when a login reads
 * a name their mirror lacks ({@link MissReads}). The unique index on the folded
 * name makes a name register exactly once across all nodes. Homes stay in this node's data folder, retired on
 * removal exactly as {@link Accounts} does. Thread-safe.
 */
public final class PostgresAccounts implements AccountRepository, AutoCloseable {
  /** How often the whole users table is read again, in case a notification was lost. */
  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(PostgresAccounts.class);

  private final PostgresDatabase db;
  private final Path dataDir;
  private final long defaultQuotaBytes;
  private final int iterations;
  private final FabricatedCredentials fabricated;
  private final UsersMirror mirror;
  private final UserChangeListener listener;
  private final MissReads missReads;
  private final QuotaLedger ledger;

  private PostgresAccounts(PostgresDatabase db, Path dataDir, long defaultQuotaBytes, int iterations,
      byte[] secret, Duration resync) {
    this.db = db;
    this.dataDir = dataDir;
    this.defaultQuotaBytes = defaultQuotaBytes;
    this.iterations = iterations;
    this.fabricated = new FabricatedCredentials(secret, iterations);
    this.mirror = new UsersMirror();
    this.listener = new UserChangeListener(db, mirror, resync);
    this.missReads = new MissReads(db, mirror);
    this.ledger = new QuotaLedger(db);
  }

  /** Opens with the {@link #DEFAULT_RESYNC default full resync}; see the other overload. */
  public static PostgresAccounts open(PostgresUrl url, Path dataDir, long defaultQuotaBytes, int iterations)
      throws IOException {
    return open(url, dataDir, defaultQuotaBytes, iterations, DEFAULT_RESYNC);
  }

  /**
   * Connects, migrates the schema, loads every user into memory and starts following changes.
   *
   * @param dataDir where this node keeps the homes ({@code home/NAME}) and retires them ({@code removed/})
   * @throws IOException when the database cannot be reached or migrated: the server does not start
   */
  public static PostgresAccounts open(PostgresUrl url, Path dataDir, long defaultQuotaBytes, int iterations,
      Duration resync) throws IOException {
    if (iterations < ScramCredentials.MIN_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be at least " + ScramCredentials.MIN_ITERATIONS);
    }
    if (defaultQuotaBytes < 0) throw new IllegalArgumentException("quota must not be negative");
    PostgresDatabase db = PostgresDatabase.open(url);
    try {
      PostgresAccounts accounts = new PostgresAccounts(db, dataDir, defaultQuotaBytes, iterations,
          db.serverSecret(), resync);
      int users;
      try (Connection c = db.connection()) {
        users = accounts.mirror.replaceAll(() -> UserRows.all(c));
      } catch (SQLException e) {
        throw db.unavailable(e);
      }
      log.info("{} users loaded from {}", users, url);
      accounts.listener.start();
      return accounts;
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  @Override
  public int iterations() {
    return iterations;
  }

  @Override
  public long defaultQuotaBytes() {
    return defaultQuotaBytes;
  }

  /** From memory: never touches the database. */
  @Override
  public Optional<User> find(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(mirror.table().get(name));
  }

  /** As {@link Accounts#credentialsFor}: fabricated from the database's shared secret for unknown names. */
  @Override
  public ScramCredentials credentialsFor(String name) {
    Objects.requireNonNull(name, "name");
    return fabricated.challenge(name, mirror.table().iterationMix(), find(name));
  }

  /** Other nodes' registrations reach this mirror by NOTIFY, which may lag: a login reads a name it lacks. */
  @Override
  public boolean readsOnMiss() {
    return true;
  }

  /** One row read into the mirror, bounded as {@link MissReads} says; a name it has is not read. */
  @Override
  public void readMissing(String name) {
    if (name != null && find(name).isEmpty()) missReads.await(name);
  }

  /** How many read-on-miss statements this node started; for tests of their bound. */
  long missReadsStarted() {
    return missReads.started();
  }

  /**
   * Inserts the account, then (in the same transaction, before the commit) retires a leftover home of the
   * name and creates an empty one. Another node inserting the same folded name waits on the unique index
   * until this commits, then fails: exactly one wins, and a loser never touches the winner's home.
   *
   * @throws Refused BAD_USER_NAME, WEAK_CREDENTIALS, USER_EXISTS, or INTERNAL with a clear message when the
   *     database is unavailable
   */
  @Override
  public User create(String name, ScramCredentials credentials, long quotaBytes) throws Refused, IOException {
    UserNames.check(name);
    Accounts.requireStrength(credentials, iterations);
    User user = new User(name, credentials, quotaBytes, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    Path home = HomeLayout.homeOf(dataDir, name);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        UserRows.insert(c, user, false);
        RetiredHomes.retireLeftover(dataDir, name);
        Files.createDirectories(home);
        c.commit();
      } catch (SQLException | IOException | RuntimeException e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      if (UserRows.UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new Refused(Refusal.USER_EXISTS, "the name " + name + " is taken");
      }
      throw refusedBecause(e, "nothing was registered");
    }
    mirror.put(user);
    log.info("registered user {}", LogText.of(name));
    return user;
  }

  @Override
  public Optional<User> updateCredentials(String name, ScramCredentials credentials) throws Refused, IOException {
    Accounts.requireStrength(credentials, iterations);
    try (Connection c = db.connection()) {
      return updated(name, UserRows.updateCredentials(c, name, credentials));
    } catch (SQLException e) {
      throw refusedBecause(e, "the password was not changed");
    }
  }

  @Override
  public Optional<User> setQuota(String name, long bytes) throws IOException {
    if (bytes < 0) throw new IllegalArgumentException("quota must not be negative");
    try (Connection c = db.connection()) {
      return updated(name, UserRows.updateQuota(c, name, bytes));
    } catch (SQLException e) {
      throw db.unavailable(e);
    }
  }

  /** Deletes the row (its usage goes with it), then retires the home as {@link Accounts#remove} does. */
  @Override
  public Optional<Removal> remove(String name) throws IOException {
    Optional<User> gone;
    try (Connection c = db.connection()) {
      gone = UserRows.delete(c, name);
    } catch (SQLException e) {
      throw db.unavailable(e);
    }
    if (gone.isEmpty()) return Optional.empty();
    mirror.remove(name);
    // The account goes first: a crash before the move leaves a leftover the next registration retires.
    Path retired = RetiredHomes.retire(dataDir, HomeLayout.homeOf(dataDir, name), name, Instant.now());
    log.info("removed user {}; home moved to {}", LogText.of(name), retired);
    return Optional.of(new Removal(gone.get(), retired));
  }

  /** Every user, read from the database; from memory (and a warning in the log) while it is unavailable. */
  @Override
  public List<User> list() {
    List<User> out;
    try (Connection c = db.connection()) {
      out = UserRows.all(c);
    } catch (SQLException e) {
      log.warn("listing users from memory: {}", LogText.of(db.unavailable(e).getMessage()));
      out = new ArrayList<>(mirror.table().copy().values());
    }
    out.sort(Comparator.comparing(User::name));
    return out;
  }

  /**
   * Blocking: adds {@code user} as it is (credentials, quota, created time) unless its name is taken in any
   * letter case; for {@code user import}.
   *
   * @return true when added, false when the name was taken
   */
  public boolean importUser(User user) throws IOException {
    try (Connection c = db.connection()) {
      boolean added = UserRows.insert(c, user, true);
      if (added) mirror.put(user);
      return added;
    } catch (SQLException e) {
      throw db.unavailable(e);
    }
  }

  /** The reservations node {@code node} (an id it keeps in its data folder) holds in the shared ledger. */
  public NodeHolds holds(String node) {
    return new NodeHolds(db, node);
  }

  /** The upload locks node {@code node} holds across nodes. */
  public NodeLocks locks(String node) {
    return new NodeLocks(db, node);
  }

  /** The heartbeat of node {@code node}, and the give-back of what silent nodes hold. */
  public NodeLiveness liveness(String node) {
    return new NodeLiveness(db, node);
  }

  /** The cross-node byte quotas of these accounts. */
  public QuotaLedger ledger() {
    return ledger;
  }

  /** True while changes of other nodes are followed live (false while the database is unreachable). */
  public boolean following() {
    return listener.listening();
  }

  /** The database these accounts live in. */
  public PostgresUrl url() {
    return db.url();
  }

  private Optional<User> updated(String name, Optional<User> user) {
    user.ifPresent(u -> {
      mirror.put(u);
      log.info("updated user {}", LogText.of(name));
    });
    return user;
  }

  /** Rolls back after {@code cause}; a failing rollback (the connection is gone) must not hide the cause. */
  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** A failed write the client is told about in words: the database, not the request, is at fault. */
  private Refused refusedBecause(SQLException e, String outcome) {
    IOException io = db.unavailable(e);
    log.warn("{}: {}", outcome, LogText.of(io.getMessage()));
    String why = PostgresDatabase.isConnectionFailure(e) ? "the accounts database is unavailable"
        : "the accounts database refused the change";
    return new Refused(Refusal.INTERNAL, why + "; " + outcome + ", try again later");
  }

  /** Stops following changes and closes the pool. */
  @Override
  public void close() {
    listener.close();
    missReads.close();
    db.close();
  }
}
