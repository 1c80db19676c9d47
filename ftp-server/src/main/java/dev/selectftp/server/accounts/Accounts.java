package dev.selectftp.server.accounts;

import dev.selectftp.server.storage.UserNames;

import dev.selectftp.server.storage.HomeLayout;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.common.LogText;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.loop.Background;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts the server knows: lookups are in memory, changes are on disk before they return and cost the
 * same whatever the number of users (see {@link UserStore}). Changes made by another process (the admin
 * command) are noticed within {@link #REFRESH_INTERVAL_NANOS}. Thread-safe.
 */
public final class Accounts implements AccountRepository {
  /** How often changes by another process are looked for. */
  public static final long REFRESH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final Logger log = LoggerFactory.getLogger(Accounts.class);

  private final Path dataDir;
  private final UserStore store;
  private final long defaultQuotaBytes;
  private final int iterations;
  private final FabricatedCredentials fabricated;
  private final LongSupplier nanoClock;
  private final UserMirror mirror;
  private volatile long lastRefreshCheck;
  /** True once a helper thread refreshes: then {@link #find} never touches the disk. */
  private volatile boolean refreshedElsewhere;

  private Accounts(Path dataDir, UserStore store, long defaultQuotaBytes, int iterations, byte[] serverSecret,
      LongSupplier nanoClock, UserStore.Loaded initial) {
    this.dataDir = dataDir;
    this.store = store;
    this.defaultQuotaBytes = defaultQuotaBytes;
    this.iterations = iterations;
    this.fabricated = new FabricatedCredentials(serverSecret, iterations);
    this.nanoClock = nanoClock;
    this.mirror = new UserMirror(store, initial);
    this.lastRefreshCheck = nanoClock.getAsLong();
  }

  /** Opens the accounts in {@code dataDir} with the system's monotonic clock. See the other overload. */
  public static Accounts open(Path dataDir, long defaultQuotaBytes, int iterations) throws IOException {
    return open(dataDir, defaultQuotaBytes, iterations, System::nanoTime);
  }

  /**
   * Opens the accounts in {@code dataDir}, creating the folder and {@code server.secret} when missing.
   *
   * @param defaultQuotaBytes the quota new registrations get
   * @param iterations the least PBKDF2 iteration count registrations must use; fabricated challenges show it
   *     only while there are no users
   * @param nanoClock a monotonic nanosecond clock ({@link System#nanoTime} outside tests)
   * @throws IOException when the users files are corrupt (they are left untouched) or the folder is unusable
   */
  public static Accounts open(Path dataDir, long defaultQuotaBytes, int iterations, LongSupplier nanoClock)
      throws IOException {
    if (iterations < ScramCredentials.MIN_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be at least " + ScramCredentials.MIN_ITERATIONS);
    }
    if (defaultQuotaBytes < 0) throw new IllegalArgumentException("quota must not be negative");
    Files.createDirectories(dataDir);
    UserStore store = new UserStore(dataDir);
    UserStore.Loaded initial = store.loadFully();
    byte[] secret = store.locked(() -> ServerSecret.loadOrCreate(dataDir));
    log.info("{} users loaded from {}", initial.users().size(), store.file());
    return new Accounts(dataDir, store, defaultQuotaBytes, iterations, secret,
        Objects.requireNonNull(nanoClock, "nanoClock"), initial);
  }

  /** The least PBKDF2 iteration count a registration must use. */
  @Override
  public int iterations() {
    return iterations;
  }

  /** The quota new registrations get. */
  @Override
  public long defaultQuotaBytes() {
    return defaultQuotaBytes;
  }

  /**
   * The home folder of {@code name}: {@code <dataDir>/home/<name>}.
   *
   * @throws IllegalArgumentException for a name {@link UserNames#check} refuses, so no path can escape
   */
  public Path home(String name) {
    return HomeLayout.homeOf(dataDir, name);
  }

  /**
   * The user called exactly {@code name} (case-sensitive). Never touches the disk once
   * {@link #refreshInBackground} was called; before that, at most once per {@link #REFRESH_INTERVAL_NANOS} it
   * also looks for another process's changes.
   */
  @Override
  public Optional<User> find(String name) {
    if (!refreshedElsewhere) {
      long now = nanoClock.getAsLong();
      if (now - lastRefreshCheck >= REFRESH_INTERVAL_NANOS) {
        lastRefreshCheck = now;
        mirror.tryRefresh();
      }
    }
    return name == null ? Optional.empty() : Optional.ofNullable(mirror.table().get(name));
  }

  /** Hands the periodic look for other processes' changes to {@code executor}, so {@link #find} does no I/O. */
  public void refreshInBackground(Background executor) {
    refreshedElsewhere = true;
    executor.every(REFRESH_INTERVAL_NANOS, this::refreshIfChanged);
  }

  /**
   * Applies what another process changed: the journal's new entries, or a full re-read when users.json was
   * replaced. A state that has turned corrupt is reported once in the log and the last good users are kept.
   *
   * @return true when something changed
   */
  public boolean refreshIfChanged() {
    return mirror.refreshIfChanged();
  }

  /**
   * The SCRAM credentials to challenge {@code name} with: the real ones, or for an unknown name fabricated
   * ones derived from the server secret. Salt and keys are stable per name; the iteration count is drawn per
   * name from the real users' counts in proportion (the configured count only while there are no users), so
   * neither a restart with another {@code --iterations} nor repeating a probe tells whether a name exists.
   * Verification against fabricated credentials simply fails.
   */
  @Override
  public ScramCredentials credentialsFor(String name) {
    Objects.requireNonNull(name, "name");
    return fabricated.challenge(name, mirror.table().iterationMix(), find(name));
  }

  /** The repository's name for {@link #register(String, ScramCredentials, long)}. */
  @Override
  public User create(String name, ScramCredentials credentials, long quotaBytes) throws Refused, IOException {
    return register(name, credentials, quotaBytes);
  }

  /** The repository's name for {@link #setCredentials}. */
  @Override
  public Optional<User> updateCredentials(String name, ScramCredentials credentials)
      throws Refused, IOException {
    return setCredentials(name, credentials);
  }

  /** Creates an account with the default quota; see {@link #register(String, ScramCredentials, long)}. */
  public User register(String name, ScramCredentials credentials) throws Refused, IOException {
    return register(name, credentials, defaultQuotaBytes);
  }

  /**
   * Creates an account. A folder left at its home by an earlier account of that name is moved to
   * {@code <dataDir>/removed} first, so the newcomer never sees old files. The user is on disk when this
   * returns, with an empty home. Of many concurrent registrations of one name (in any process), exactly one
   * succeeds.
   *
   * @throws Refused {@link Refusal#BAD_USER_NAME}, {@link Refusal#WEAK_CREDENTIALS} when
   *     {@code credentials} use fewer than {@link #iterations()} iterations, or {@link Refusal#USER_EXISTS}
   *     when the name is taken, also in another letter case
   */
  public User register(String name, ScramCredentials credentials, long quotaBytes)
      throws Refused, IOException {
    UserNames.check(name);
    checkStrength(credentials);
    User user = new User(name, credentials, quotaBytes, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    Path home = home(name);
    mirror.change(t -> {
      String taken = t.nameFolding(UserNames.foldCase(name));
      if (taken != null) throw new Refused(Refusal.USER_EXISTS, "the name " + name + " is taken");
      // Before the account exists: a crash in between leaves a retired folder, never an account with old files.
      RetiredHomes.retireLeftover(dataDir, name);
      return new UserJournal.Entry.Put(user);
    }, () -> Files.createDirectories(home)); // still under the lock: no removal can slip in between
    log.info("registered user {}", LogText.of(name));
    return user;
  }

  /** Sets the quota of {@code name}; empty when there is no such user. Persisted before returning. */
  @Override
  public Optional<User> setQuota(String name, long bytes) throws IOException {
    if (bytes < 0) throw new IllegalArgumentException("quota must not be negative");
    return replace(name, u -> u.withQuotaBytes(bytes));
  }

  /**
   * Replaces the credentials of {@code name} (a password change); empty when there is no such user.
   *
   * @throws Refused {@link Refusal#WEAK_CREDENTIALS} as for {@link #register}
   */
  public Optional<User> setCredentials(String name, ScramCredentials credentials)
      throws Refused, IOException {
    checkStrength(credentials);
    return replace(name, u -> u.withCredentials(credentials));
  }


  /**
   * Removes the account and, in the same locked step, moves its home to {@code <dataDir>/removed/NAME-TIME}
   * so no later registrant of the name can reach it (the caller may then delete it). Empty when there was no
   * such user.
   */
  @Override
  public Optional<Removal> remove(String name) throws IOException {
    Removal[] result = {null};
    Path home = home(name);
    try {
      mirror.change(t -> {
        User current = t.get(name);
        if (current == null) return null;
        // The account goes first: a crash before the move leaves a leftover the next registration retires.
        result[0] = new Removal(current, null);
        return new UserJournal.Entry.Remove(name);
      }, () -> result[0] = new Removal(result[0].user(), RetiredHomes.retire(dataDir, home, name, Instant.now())));
    } catch (Refused e) {
      throw new IllegalStateException("removal refuses nothing", e);
    }
    if (result[0] != null) log.info("removed user {}; home moved to {}", LogText.of(name), result[0].retiredHome());
    return Optional.ofNullable(result[0]);
  }

  /** Deletes a home {@link #remove} retired, and all in it; symlinks are removed, never followed. */
  public void deleteRetired(Path retiredHome) throws IOException {
    RetiredHomes.deleteRetired(dataDir, retiredHome);
  }

  /** Every user, sorted by name, after picking up changes made by another process. */
  @Override
  public List<User> list() {
    refreshIfChanged();
    List<User> out = new ArrayList<>(mirror.table().copy().values());
    out.sort(Comparator.comparing(User::name));
    return out;
  }

  private void checkStrength(ScramCredentials credentials) throws Refused {
    requireStrength(credentials, iterations);
  }

  /**
   * The strength rule every repository applies before it writes credentials.
   *
   * @throws Refused {@link Refusal#WEAK_CREDENTIALS} when {@code credentials} use fewer than {@code iterations}
   */
  public static void requireStrength(ScramCredentials credentials, int iterations) throws Refused {
    Objects.requireNonNull(credentials, "credentials");
    if (credentials.iterations() < iterations) {
      throw new Refused(Refusal.WEAK_CREDENTIALS, "use at least " + iterations + " iterations");
    }
  }

  private Optional<User> replace(String name, UnaryOperator<User> edit) throws IOException {
    User[] result = {null};
    try {
      mirror.change(t -> {
        User current = t.get(name);
        if (current == null) return null;
        result[0] = edit.apply(current);
        return new UserJournal.Entry.Put(result[0]);
      });
    } catch (Refused e) {
      throw new IllegalStateException("edits of existing users refuse nothing", e);
    }
    if (result[0] != null) log.info("updated user {}", LogText.of(name));
    return Optional.ofNullable(result[0]);
  }
}
