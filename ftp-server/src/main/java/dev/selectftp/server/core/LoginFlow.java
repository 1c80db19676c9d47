package dev.selectftp.server.core;

import dev.selectftp.common.LogText;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.ClientAddress;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Storage;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's logins, the same for every door; the door only proves the password its own way (SCRAM
 * frames, FTP's PASS checked off the loop) and turns the {@link LoginOutcome} into its own reply:
 *
 * <ol>
 *   <li>{@link #admit}: the throttle lets the attempt start (or refuses it LOCKED_OUT) and names the
 *       credentials to check the password against: made-up ones for an unknown name, so nothing tells who
 *       exists;
 *   <li>{@link #proven}: a right password of an account that still exists records the success, opens the
 *       home and waits for the user's first file count (done off the loop, once per user) before it hands
 *       over {@link LoginOutcome.Accepted}, so no quota check ever walks a home on the loop; a wrong one
 *       records the failure and hands over {@link LoginOutcome.Rejected} only once the throttle's growing
 *       delay has passed, on a loop timer that holds nobody else up.
 * </ol>
 *
 * The door keeps its input paused from {@link #proven} until the outcome arrives. Loop-thread confined;
 * the core knows no event loop, so the door lends its timer.
 */
public final class LoginFlow {
  private static final Logger log = LoggerFactory.getLogger(LoginFlow.class);

  /** Runs {@code task} on the event loop once {@code delayNanos} have passed; the door's loop schedule. */
  @FunctionalInterface
  public interface Timer {
    void schedule(long delayNanos, Runnable task);
  }

  private final Logins logins;
  private final Storage files;
  private final Offload store;
  private final Quotas quotas;
  private final Timer timer;
  private final String address;
  /** What the throttle counts: the address, or an IPv6 client's /64. */
  private final String addressKey;
  private final String door;
  /** The throttle slot of the attempt in flight (an address under attack has few), or NONE. */
  private LoginThrottle.Ticket ticket = LoginThrottle.Ticket.NONE;
  /** Numbers the attempts: an outcome of an attempt abandoned since is dropped, not handed over. */
  private long attempt;

  /**
   * @param address the client's address, for the throttle and the log
   * @param door the door's name in log lines ("FTP", "SelectFTP")
   */
  public LoginFlow(Logins logins, Storage files, Quotas quotas, Timer timer, String address, String door) {
    this(logins, files, quotas, Offload.INLINE, timer, address, door);
  }

  /** @param store where the home is opened ({@link Storage#home}, a store call): the server's store pool */
  public LoginFlow(Logins logins, Storage files, Quotas quotas, Offload store, Timer timer, String address,
      String door) {
    this.store = store;
    this.logins = logins;
    this.files = files;
    this.quotas = quotas;
    this.timer = timer;
    this.address = address;
    this.addressKey = ClientAddress.key(address);
    this.door = door;
  }

  /**
   * Starts an attempt of {@code user} (an attempt not carried through is abandoned first) and returns the
   * credentials to check the password against. From memory.
   *
   * @throws Refused LOCKED_OUT when the account or the address failed too often lately
   */
  public ScramCredentials admit(String user) throws Refused {
    abandon();
    ticket = logins.admit(user, addressKey);
    return logins.credentialsFor(user);
  }

  /**
   * As {@link #admit(String)}, for a repository whose memory may lag its store (PostgreSQL): a name memory
   * lacks is first read off the loop, on the store pool ({@link Logins#readMissing}, bounded), so an account
   * registered through another node a moment ago is challenged with its own credentials. {@code then} gets
   * the credentials on the loop: within this call when memory answers (users.json, or a name it has, no
   * extra hop), else once the read is done or given up; never when the attempt is abandoned meanwhile. A
   * known name memory lacks and an unknown name take the same path. The door keeps its input paused until
   * {@code then} runs.
   *
   * @throws Refused LOCKED_OUT when the account or the address failed too often lately (before any read)
   */
  public void admit(String user, Consumer<ScramCredentials> then) throws Refused {
    abandon();
    ticket = logins.admit(user, addressKey);
    if (!logins.readsFirst(user)) {
      then.accept(logins.credentialsFor(user));
      return;
    }
    long mine = attempt;
    store.run(() -> {
      logins.readMissing(user);
      return null;
    }, (nothing, failure) -> {
      // A failed or refused read (the server stopping) leaves memory as it was: answered from it.
      if (attempt == mine) then.accept(logins.credentialsFor(user));
    });
  }

  /**
   * The door found the password of the admitted {@code user} right or wrong; {@code then} gets the outcome on
   * the loop, perhaps within this call (a known user's right password), unless the attempt is abandoned first.
   */
  public void proven(String user, boolean right, Consumer<LoginOutcome> then) {
    long mine = attempt;
    Optional<User> found = right ? logins.succeeded(user, addressKey) : Optional.empty();
    if (found.isEmpty()) {
      rejected(user, mine, then);
      return;
    }
    giveBackSlot();
    User account = found.get();
    store.run(() -> files.home(account.name()), (home, failure) -> {
      if (attempt != mine) return; // the connection went away while the home was opened
      if (failure != null) {
        then.accept(new LoginOutcome.Unavailable(failure));
        return;
      }
      counted(account, new Login(account.name(), account.created(), home, "/"), mine, then);
    });
  }

  /** Once the home is open: waits for the user's first file count, then hands over the login. */
  private void counted(User account, Login login, long mine, Consumer<LoginOutcome> then) {
    // The account's creation stamp makes a name removed and registered again count afresh.
    quotas.whenKnown(account.name(), account.created(), failure -> {
      if (attempt != mine) return; // the connection went away while the files were counted
      if (failure != null) {
        then.accept(new LoginOutcome.Unavailable(failure));
        return;
      }
      log.info("{}: {} logged in over {}", address, LogText.of(account.name()), door);
      then.accept(new LoginOutcome.Accepted(login));
    });
  }

  /** A failure is answered only after the throttle's delay; its slot is held until then. */
  private void rejected(String user, long mine, Consumer<LoginOutcome> then) {
    Duration delay = logins.failed(user, addressKey);
    log.info("{}: failed login for {} over {}; answering in {} ms", address, LogText.of(user), door,
        delay.toMillis());
    LoginThrottle.Ticket held = ticket;
    ticket = LoginThrottle.Ticket.NONE;
    timer.schedule(delay.toNanos(), () -> {
      logins.release(held); // also when the attempt was abandoned meanwhile
      if (attempt == mine) then.accept(new LoginOutcome.Rejected(delay));
    });
  }

  /**
   * Gives up the attempt in flight, if any: the connection closed, or the door could not check the password.
   * Its slot is given back (a failure's slot once its delay has passed) and its outcome is never handed
   * over. Safe twice.
   */
  public void abandon() {
    giveBackSlot();
    attempt++;
  }

  private void giveBackSlot() {
    logins.release(ticket);
    ticket = LoginThrottle.Ticket.NONE;
  }
}
