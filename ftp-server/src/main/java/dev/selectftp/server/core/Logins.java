package dev.selectftp.server.core;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.time.Duration;
import java.util.Optional;

/**
 * The rules of a login, server-wide: who may try now (the throttle), what to challenge a name with, and
 * what a success or a failure does to the throttle. Doors reach them only through a connection's
 * {@link LoginFlow}, so each rule is applied in one place; how the password is proven (SCRAM frames, FTP's
 * PASS) is the door's business. Loop-thread confined, like {@link LoginThrottle}.
 */
public final class Logins {
  private final AccountRepository accounts;
  private final LoginThrottle throttle;

  public Logins(AccountRepository accounts, LoginThrottle throttle) {
    this.accounts = accounts;
    this.throttle = throttle;
  }

  /**
   * Admits one login attempt of {@code user} from {@code addressKey}; the ticket is given back with
   * {@link #release} once the attempt is answered.
   *
   * @throws Refused LOCKED_OUT when the account or the address failed too often lately
   */
  LoginThrottle.Ticket admit(String user, String addressKey) throws Refused {
    LoginThrottle.Admission admission = throttle.admit(user, addressKey);
    if (admission instanceof LoginThrottle.Admission.LockedOut locked) {
      throw new Refused(Refusal.LOCKED_OUT,
          "too many failed logins; try again in " + Math.max(1, locked.remaining().toSeconds()) + " s");
    }
    if (admission instanceof LoginThrottle.Admission.Busy busy) {
      throw new Refused(Refusal.LOCKED_OUT, "too many failed logins from your address; try again in "
          + Math.max(1, busy.retryAfter().toSeconds()) + " s");
    }
    return ((LoginThrottle.Admission.Admitted) admission).ticket();
  }

  /** Real credentials, or stable made-up ones for an unknown name, so the challenge reveals nobody. */
  ScramCredentials credentialsFor(String user) {
    return accounts.credentialsFor(user);
  }

  /** True when {@code user} should be {@link #readMissing read} before its challenge: memory may lag and lacks it. */
  boolean readsFirst(String user) {
    return accounts.readsOnMiss() && accounts.find(user).isEmpty();
  }

  /** Blocking, briefly: {@link AccountRepository#readMissing}; on a helper thread (safe there: no throttle). */
  void readMissing(String user) {
    accounts.readMissing(user);
  }

  /** The account a proven password logs into, if it (still) exists; records the success. */
  Optional<User> succeeded(String user, String addressKey) {
    Optional<User> found = accounts.find(user);
    found.ifPresent(u -> throttle.recordSuccess(u.name(), addressKey));
    return found;
  }

  /** Records a failed proof; returns how long to wait before answering it. */
  Duration failed(String user, String addressKey) {
    return throttle.recordFailure(user, addressKey);
  }

  /** Gives back an attempt's slot; safe with {@link LoginThrottle.Ticket#NONE}. */
  void release(LoginThrottle.Ticket ticket) {
    throttle.release(ticket);
  }

  /** True while {@code login}'s account still exists ({@link Login#accountStillExists}). */
  public boolean stillExists(Login login) {
    return login.accountStillExists(accounts);
  }
}
