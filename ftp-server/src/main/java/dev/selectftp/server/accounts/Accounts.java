package dev.selectftp.server.accounts;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.ScramCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts the server knows: lookups from the event loop are in-memory, changes are on disk before
 * they return. Changes made by another process (the admin command) are noticed within
 * {@link #REFRESH_INTERVAL_NANOS}. Thread-safe.
 */
public final class Accounts {
  /** How often {@link #find} may stat the users file to notice another process's change. */
  public static final long REFRESH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Where homes live, under the data folder. */
  public static final String HOMES_DIR = "home";

  private static final Logger log = LoggerFactory.getLogger(Accounts.class);
  private static final String HMAC = "HmacSHA256";

  private final Path dataDir;
  private final UserStore store;
  private final long defaultQuotaBytes;
  private final int iterations;
  private final byte[] serverSecret;
  private final ThreadLocal<Mac> secretMacs;
  private final LongSupplier nanoClock;
  /** Orders publication of snapshots, so a slow refresh can never replace a newer write's result. */
  private final ReentrantLock stateLock = new ReentrantLock();
  private volatile Map<String, User> users;
  private volatile UserStore.Stamp stamp;
  private volatile long lastRefreshCheck;

  private Accounts(Path dataDir, UserStore store, long defaultQuotaBytes, int iterations, byte[] serverSecret,
      LongSupplier nanoClock, UserStore.Snapshot initial) {
    this.dataDir = dataDir;
    this.store = store;
    this.defaultQuotaBytes = defaultQuotaBytes;
    this.iterations = iterations;
    this.serverSecret = serverSecret;
    this.secretMacs = keyedMacs(serverSecret);
    this.nanoClock = nanoClock;
    this.users = initial.users();
    this.stamp = initial.stamp();
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
   * @param iterations the least PBKDF2 iteration count registrations must use, and the count fabricated
   *     challenges show
   * @param nanoClock a monotonic nanosecond clock ({@link System#nanoTime} outside tests)
   * @throws IOException when the users file is corrupt (it is left untouched) or the folder is unusable
   */
  public static Accounts open(Path dataDir, long defaultQuotaBytes, int iterations, LongSupplier nanoClock)
      throws IOException {
    if (iterations < ScramCredentials.MIN_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be at least " + ScramCredentials.MIN_ITERATIONS);
    }
    if (defaultQuotaBytes < 0) throw new IllegalArgumentException("quota must not be negative");
    Files.createDirectories(dataDir);
    UserStore store = new UserStore(dataDir);
    UserStore.Snapshot initial = store.read();
    byte[] secret = store.locked(() -> ServerSecret.loadOrCreate(dataDir));
    log.info("{} users loaded from {}", initial.users().size(), store.file());
    return new Accounts(dataDir, store, defaultQuotaBytes, iterations, secret,
        Objects.requireNonNull(nanoClock, "nanoClock"), initial);
  }

  /** The least PBKDF2 iteration count a registration must use. */
  public int iterations() {
    return iterations;
  }

  /**
   * The home folder of {@code name}: {@code <dataDir>/home/<name>}.
   *
   * @throws IllegalArgumentException for a name {@link UserNames#check} refuses, so no path can escape
   */
  public Path home(String name) {
    if (!UserNames.isValid(name)) throw new IllegalArgumentException("not a valid user name");
    return dataDir.resolve(HOMES_DIR).resolve(name);
  }

  /**
   * The user called exactly {@code name} (case-sensitive). Cheap; at most once per
   * {@link #REFRESH_INTERVAL_NANOS} it also checks whether another process changed the users file.
   */
  public Optional<User> find(String name) {
    long now = nanoClock.getAsLong();
    if (now - lastRefreshCheck >= REFRESH_INTERVAL_NANOS) {
      lastRefreshCheck = now;
      // Never wait on the event loop: a writer holding the lock publishes fresh data itself.
      if (stateLock.tryLock()) {
        try {
          refreshLocked();
        } finally {
          stateLock.unlock();
        }
      }
    }
    return name == null ? Optional.empty() : Optional.ofNullable(users.get(name));
  }

  /**
   * Re-reads the users file when its stamp (file key, modification time, size) changed since last seen.
   * A file that has turned corrupt is reported once in the log and the last good users are kept.
   *
   * @return true when the users were re-read
   */
  public boolean refreshIfChanged() {
    stateLock.lock();
    try {
      return refreshLocked();
    } finally {
      stateLock.unlock();
    }
  }

  private boolean refreshLocked() {
    try {
      if (store.stamp().equals(stamp)) return false;
      UserStore.Snapshot fresh = store.read();
      users = fresh.users();
      stamp = fresh.stamp();
      log.info("users file changed on disk; {} users now", fresh.users().size());
      return true;
    } catch (IOException e) {
      try {
        stamp = store.stamp(); // warn once per bad version, not every second
      } catch (IOException ignored) {
        // the next check will try again
      }
      log.warn("keeping the last good users: {}", e.getMessage());
      return false;
    }
  }

  /**
   * The SCRAM credentials to challenge {@code name} with: the real ones, or for an unknown name fabricated
   * ones derived from the server secret. They are stable per name and look like real ones, so a probe cannot
   * tell whether a name exists; verification against them simply fails.
   */
  public ScramCredentials credentialsFor(String name) {
    Objects.requireNonNull(name, "name");
    // Fabricated first, whether needed or not, so known and unknown names cost the same time.
    byte[] salt = Arrays.copyOf(secretMac("salt:" + name), ScramCredentials.SALT_BYTES);
    ScramCredentials fabricated =
        new ScramCredentials(salt, iterations, secretMac("stored-key:" + name), secretMac("server-key:" + name));
    return find(name).map(User::credentials).orElse(fabricated);
  }

  private byte[] secretMac(String data) {
    // doFinal leaves the Mac initialized with the same key, ready for the next call on this thread.
    return secretMacs.get().doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  /** One Mac per thread keyed with {@code secret}: getInstance + init per login showed in the loop's allocations. */
  private static ThreadLocal<Mac> keyedMacs(byte[] secret) {
    return ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance(HMAC);
        mac.init(new SecretKeySpec(secret, HMAC));
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
      }
    });
  }

  /**
   * Creates an account with the default quota. The user is in the users file when this returns; the home
   * folder is created afterwards. Of many concurrent registrations of one name (in any process), exactly
   * one succeeds.
   *
   * @throws ProtocolException {@link ErrorCode#BAD_USER_NAME}, {@link ErrorCode#WEAK_CREDENTIALS} when
   *     {@code credentials} use fewer than {@link #iterations()} iterations, or {@link ErrorCode#USER_EXISTS}
   *     when the name is taken, also in another letter case
   */
  public User register(String name, ScramCredentials credentials) throws ProtocolException, IOException {
    UserNames.check(name);
    checkStrength(credentials);
    User user = new User(name, credentials, defaultQuotaBytes,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    String folded = UserNames.foldCase(name);
    try {
      change(all -> {
        for (String existing : all.keySet()) {
          if (UserNames.foldCase(existing).equals(folded)) {
            throw new Refusal(new ProtocolException(ErrorCode.USER_EXISTS, "the name " + name + " is taken"));
          }
        }
        all.put(name, user);
        return all;
      });
    } catch (Refusal r) {
      throw r.refusal;
    }
    Files.createDirectories(home(name));
    log.info("registered user {}", name);
    return user;
  }

  /** Sets the quota of {@code name}; empty when there is no such user. Persisted before returning. */
  public Optional<User> setQuota(String name, long bytes) throws IOException {
    if (bytes < 0) throw new IllegalArgumentException("quota must not be negative");
    return replace(name, u -> u.withQuotaBytes(bytes));
  }

  /**
   * Replaces the credentials of {@code name} (a password change); empty when there is no such user.
   *
   * @throws ProtocolException {@link ErrorCode#WEAK_CREDENTIALS} as for {@link #register}
   */
  public Optional<User> setCredentials(String name, ScramCredentials credentials)
      throws ProtocolException, IOException {
    checkStrength(credentials);
    return replace(name, u -> u.withCredentials(credentials));
  }

  /** Removes the account; its home folder and files stay. Returns false when there was no such user. */
  public boolean remove(String name) throws IOException {
    boolean[] removed = {false};
    change(all -> {
      removed[0] = all.remove(name) != null;
      return all;
    });
    if (removed[0]) log.info("removed user {} (home kept)", name);
    return removed[0];
  }

  /** Every user, sorted by name, after picking up changes made by another process. */
  public List<User> list() {
    refreshIfChanged();
    List<User> out = new ArrayList<>(users.values());
    out.sort(Comparator.comparing(User::name));
    return out;
  }

  private void checkStrength(ScramCredentials credentials) throws ProtocolException {
    Objects.requireNonNull(credentials, "credentials");
    if (credentials.iterations() < iterations) {
      throw new ProtocolException(ErrorCode.WEAK_CREDENTIALS, "use at least " + iterations + " iterations");
    }
  }

  private Optional<User> replace(String name, UnaryOperator<User> edit) throws IOException {
    User[] result = {null};
    change(all -> {
      User current = all.get(name);
      if (current == null) return all;
      result[0] = edit.apply(current);
      all.put(name, result[0]);
      return all;
    });
    if (result[0] != null) log.info("updated user {}", name);
    return Optional.ofNullable(result[0]);
  }

  /**
   * Mutates under the file lock and publishes the result. {@code edit} gets a mutable copy; it refuses by
   * throwing {@link Refusal}, which leaves the file untouched and reaches the caller.
   */
  private void change(UnaryOperator<Map<String, User>> edit) throws IOException {
    stateLock.lock();
    try {
      UserStore.Snapshot after = store.update(edit);
      users = after.users();
      stamp = after.stamp();
    } finally {
      stateLock.unlock();
    }
  }

  /** Carries a ProtocolException out of the update function, which cannot throw checked exceptions. */
  private static final class Refusal extends RuntimeException {
    final ProtocolException refusal;

    Refusal(ProtocolException refusal) {
      super(null, null, false, false);
      this.refusal = refusal;
    }
  }
}
