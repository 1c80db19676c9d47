package dev.selectftp.server.accounts;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where accounts live: {@code users.json} and its journal ({@link Accounts}, the default), or PostgreSQL
 * ({@code accounts.postgres.PostgresAccounts}, shared by several nodes). The doors, the core and the
 * {@code user} admin commands use only this.
 *
 * <p><b>Threads.</b> {@link #find}, {@link #credentialsFor}, {@link #iterations} and
 * {@link #defaultQuotaBytes} answer from memory and may run on the event loop; every method that writes
 * ({@link #create}, {@link #setQuota}, {@link #updateCredentials}, {@link #remove}) persists before it
 * returns, so it blocks: call it on a helper thread. Implementations are thread-safe.
 */
public interface AccountRepository {
  /** The least PBKDF2 iteration count new credentials must use. */
  int iterations();

  /** The quota new accounts get. */
  long defaultQuotaBytes();

  /** The user called exactly {@code name} (case-sensitive), from memory. */
  Optional<User> find(String name);

  /**
   * The SCRAM credentials to challenge {@code name} with: the real ones, or for an unknown name stable
   * made-up ones, so the challenge does not reveal who exists.
   */
  ScramCredentials credentialsFor(String name);

  /**
   * True when memory may lag the store, so a login of a name {@link #find} lacks should first
   * {@link #readMissing read it}: PostgreSQL, where other nodes' changes arrive by NOTIFY. False for
   * users.json, whose memory is the whole truth: its logins answer at once, with no extra hop.
   */
  default boolean readsOnMiss() {
    return false;
  }

  /**
   * Blocking, briefly (call it on a helper thread): brings {@code name} into memory if the store has it, so a
   * login through this node right after a registration through another one succeeds. Bounded in time and in
   * reads at once; gives up quietly (the database down, slow or busy), leaving memory as it was.
   */
  default void readMissing(String name) {}

  /**
   * Blocking: creates an account with an empty home. Of many concurrent creations of one name, exactly one
   * succeeds.
   *
   * @throws Refused BAD_USER_NAME, WEAK_CREDENTIALS (fewer than {@link #iterations()} iterations), or
   *     USER_EXISTS when the name is taken, also in another letter case
   */
  User create(String name, ScramCredentials credentials, long quotaBytes) throws Refused, IOException;

  /** Blocking: creates an account with the {@link #defaultQuotaBytes default quota}; as {@link #create}. */
  default User create(String name, ScramCredentials credentials) throws Refused, IOException {
    return create(name, credentials, defaultQuotaBytes());
  }

  /**
   * Blocking: replaces the credentials of {@code name} (a password change); empty when there is no such user.
   *
   * @throws Refused WEAK_CREDENTIALS as for {@link #create}
   */
  Optional<User> updateCredentials(String name, ScramCredentials credentials) throws Refused, IOException;

  /** Blocking: sets the quota of {@code name}; empty when there is no such user. */
  Optional<User> setQuota(String name, long bytes) throws IOException;

  /**
   * Blocking: removes the account and retires its home, so no later account of the name reaches its files;
   * empty when there was no such user.
   */
  Optional<Removal> remove(String name) throws IOException;

  /** Every user, sorted by name, as fresh as the repository can tell. */
  List<User> list();
}
