package dev.selectftp.server.accounts;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force defence as pure bookkeeping: the event loop asks how long to delay a failed login and whether
 * a login may be tried at all, and schedules timers itself; nothing here sleeps. Failures are counted per
 * user name and per client address within a sliding {@link #WINDOW}. Names are tracked whether or not they
 * exist, so the answers reveal nothing about which accounts are real. Thread-safe.
 */
public final class LoginThrottle {
  public static final Duration BASE_DELAY = Duration.ofMillis(250);
  public static final Duration MAX_DELAY = Duration.ofSeconds(8);
  public static final Duration WINDOW = Duration.ofMinutes(15);
  public static final Duration LOCKOUT = Duration.ofMinutes(15);
  public static final int USER_LOCKOUT_FAILURES = 10;
  /** Higher than per user: several people may share one address behind NAT. */
  public static final int ADDRESS_LOCKOUT_FAILURES = 30;
  public static final int MAX_TRACKED_KEYS = 100_000;

  private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
  /** Keeps user and address keys apart, even for a user named like an address. */
  private static final String USER_PREFIX = "u:";
  private static final String ADDRESS_PREFIX = "a:";
  /** Shifts beyond this only overflow; the cap is reached long before. */
  private static final int MAX_DOUBLINGS = 30;

  private final LongSupplier nanoClock;
  private final int maxTrackedKeys;
  private final long windowNanos = WINDOW.toNanos();
  private final long lockoutNanos = LOCKOUT.toNanos();
  /** Insertion order is last-failure order (a key is re-inserted on each failure), so the head is oldest. */
  private final LinkedHashMap<String, Failures> entries = new LinkedHashMap<>();

  /** A throttle reading time from {@code nanoClock} ({@link System#nanoTime} outside tests). */
  public LoginThrottle(LongSupplier nanoClock) {
    this(nanoClock, MAX_TRACKED_KEYS);
  }

  LoginThrottle(LongSupplier nanoClock, int maxTrackedKeys) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    if (maxTrackedKeys < 2) throw new IllegalArgumentException("must track at least a user and an address");
    this.maxTrackedKeys = maxTrackedKeys;
  }

  /**
   * How long to wait before answering a failed login, to be asked after {@link #recordFailure}:
   * {@link #BASE_DELAY} doubled for each further recent failure of the user or the address, whichever has
   * more, capped at {@link #MAX_DELAY}.
   */
  public synchronized Duration failureDelay(String user, String address) {
    long now = nanoClock.getAsLong();
    int failures = Math.max(recent(USER_PREFIX + user, now), recent(ADDRESS_PREFIX + address, now));
    int doublings = Math.min(Math.max(failures, 1) - 1, MAX_DOUBLINGS);
    Duration delay = BASE_DELAY.multipliedBy(1L << doublings);
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }

  /** Counts one failed login for both the user name and the address. */
  public synchronized void recordFailure(String user, String address) {
    long now = nanoClock.getAsLong();
    forgetExpired(now);
    fail(USER_PREFIX + user, USER_LOCKOUT_FAILURES, now, "user", user);
    fail(ADDRESS_PREFIX + address, ADDRESS_LOCKOUT_FAILURES, now, "address", address);
  }

  /**
   * A successful login clears the user's count only: registration is open, so clearing the address too
   * would let anyone reset their address's count between guesses at other accounts with a login of their own.
   */
  public synchronized void recordSuccess(String user, String address) {
    entries.remove(USER_PREFIX + user);
  }

  /**
   * The remaining lockout when the user had {@value #USER_LOCKOUT_FAILURES} or the address
   * {@value #ADDRESS_LOCKOUT_FAILURES} failures within {@link #WINDOW}; ask before even trying the password.
   */
  public synchronized Optional<Duration> lockedOut(String user, String address) {
    long now = nanoClock.getAsLong();
    long remaining = Math.max(remainingLock(USER_PREFIX + user, now), remainingLock(ADDRESS_PREFIX + address, now));
    return remaining > 0 ? Optional.of(Duration.ofNanos(remaining)) : Optional.empty();
  }

  /** How many user names and addresses are being tracked; never above the cap. */
  public synchronized int trackedKeys() {
    return entries.size();
  }

  private void fail(String key, int threshold, long now, String kind, String who) {
    Failures f = entries.remove(key);
    if (f == null) f = new Failures(threshold);
    entries.put(key, f);
    f.add(now);
    if (f.countSince(now - windowNanos) >= threshold && (!f.locked || f.lockedUntil - now <= 0)) {
      f.locked = true;
      f.lockedUntil = now + lockoutNanos;
      log.warn("{} {} locked out of logins for {} minutes after {} failures in {} minutes", kind, who,
          LOCKOUT.toMinutes(), threshold, WINDOW.toMinutes());
    }
    while (entries.size() > maxTrackedKeys) {
      Iterator<String> oldest = entries.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private int recent(String key, long now) {
    Failures f = entries.get(key);
    return f == null ? 0 : f.countSince(now - windowNanos);
  }

  private long remainingLock(String key, long now) {
    Failures f = entries.get(key);
    return f == null || !f.locked ? 0 : f.lockedUntil - now;
  }

  /** Drops keys whose last failure left the window and whose lockout ended; stops at the first live one. */
  private void forgetExpired(long now) {
    Iterator<Failures> it = entries.values().iterator();
    while (it.hasNext()) {
      Failures f = it.next();
      boolean stale = now - f.last() >= windowNanos && (!f.locked || f.lockedUntil - now <= 0);
      if (!stale) return;
      it.remove();
    }
  }

  /** The most recent failure times of one key, as many as its threshold needs (a ring buffer). */
  private static final class Failures {
    private final long[] times;
    private int size;
    private int next;
    boolean locked;
    long lockedUntil;

    Failures(int capacity) {
      times = new long[capacity];
    }

    void add(long now) {
      times[next] = now;
      next = (next + 1) % times.length;
      if (size < times.length) size++;
    }

    long last() {
      return times[(next - 1 + times.length) % times.length];
    }

    int countSince(long since) {
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (times[i] - since > 0) n++;
      }
      return n;
    }
  }
}
