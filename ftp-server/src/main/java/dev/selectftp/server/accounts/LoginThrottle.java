package dev.selectftp.server.accounts;

import dev.selectftp.server.storage.UserNames;

import dev.selectftp.common.LogText;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force defence as pure bookkeeping: the event loop asks whether a login may start, how long to delay a
 * failure, and schedules timers itself; nothing here sleeps. Failures are counted per user name and per client
 * address within a sliding {@link #WINDOW}. A user name is locked after {@value #USER_LOCKOUT_FAILURES}; an
 * address is never locked (a whole NAT would be), it is slowed: past {@value #ADDRESS_SLOWDOWN_FAILURES} its
 * failures wait {@link #MAX_DELAY} and at most {@value #MAX_LOGINS_IN_FLIGHT} of its logins run at once, except
 * for (user, address) pairs that logged in before ({@link TrustedPairs}). Names are tracked whether or not they
 * exist, so the answers reveal nothing about which accounts are real. Memory is bounded per kind of key: a locked
 * name is never evicted before its lock ends; when every tracked name is locked, a new name is not tracked and
 * its failures are answered at {@link #MAX_DELAY}. Thread-safe; every call is O(1) amortized.
 */
public final class LoginThrottle {
  public static final Duration BASE_DELAY = Duration.ofMillis(250);
  public static final Duration MAX_DELAY = Duration.ofSeconds(8);
  public static final Duration WINDOW = Duration.ofMinutes(15);
  public static final Duration LOCKOUT = Duration.ofMinutes(15);
  public static final int USER_LOCKOUT_FAILURES = 10;
  /** Failures from one address, across names, that make it count as under attack. */
  public static final int ADDRESS_SLOWDOWN_FAILURES = 30;
  /** Logins (challenge sent, answer not yet given) an address under attack may have at once. */
  public static final int MAX_LOGINS_IN_FLIGHT = 4;
  /** A login slot not given back (the connection vanished mid-login) frees itself after this. */
  public static final Duration LOGIN_SLOT_TTL = Duration.ofSeconds(30);
  /** User names tracked at most (about 230 bytes each). */
  public static final int MAX_TRACKED_USERS = 100_000;
  /** Addresses tracked at most (about 390 bytes each); the oldest goes first, it has no lock to lose. */
  public static final int MAX_TRACKED_ADDRESSES = 20_000;

  private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
  /** Keeps user and address keys apart, even for a user named like an address. */
  private static final String USER_PREFIX = "u:";
  /**
   * One key for every name no account can have (too long, odd characters): a peer choosing 60 KB names must
   * not make each tracked key 60 KB, and no real user shares this bucket's lock.
   */
  private static final String INVALID_NAMES_KEY = USER_PREFIX + "!invalid";
  private static final String ADDRESS_PREFIX = "a:";
  /** Shifts beyond this only overflow; the cap is reached long before. */
  private static final int MAX_DOUBLINGS = 30;

  /** The answer to {@link #admit}. */
  public sealed interface Admission {
    /** Go ahead; give the ticket back with {@link #release} when the login is answered. */
    record Admitted(Ticket ticket) implements Admission {}

    /** The user name is locked for this long. */
    record LockedOut(Duration remaining) implements Admission {}

    /** The address is under attack and has its most logins running; try again after this long. */
    record Busy(Duration retryAfter) implements Admission {}
  }

  /** A login slot of an address under attack, or {@link #NONE}. Releasing it twice is harmless. */
  public record Ticket(String addressKey, long id) {
    public static final Ticket NONE = new Ticket(null, 0);
  }

  private final LongSupplier nanoClock;
  private final int maxUsers;
  private final int maxAddresses;
  private final long windowNanos = WINDOW.toNanos();
  private final long lockoutNanos = LOCKOUT.toNanos();
  private final long slotNanos = LOGIN_SLOT_TTL.toNanos();
  /** Unlocked user names; insertion order is last-failure order (a key is re-inserted on each failure). */
  private final LinkedHashMap<String, RecentFailures> open = new LinkedHashMap<>();
  /** Locked user names in the order they were locked, which is expiry order: all locks last {@link #LOCKOUT}. */
  private final LinkedHashMap<String, RecentFailures> locked = new LinkedHashMap<>();
  /** Addresses, in last-failure order; never locked, so any may be evicted. */
  private final LinkedHashMap<String, RecentFailures> addresses = new LinkedHashMap<>();
  private final TrustedPairs trusted;
  /** Tells tickets apart, so a ticket given back twice frees only its own slot. */
  private long lastTicketId;

  /** A throttle reading time from {@code nanoClock} ({@link System#nanoTime} outside tests). */
  public LoginThrottle(LongSupplier nanoClock) {
    this(nanoClock, MAX_TRACKED_USERS, MAX_TRACKED_ADDRESSES, TrustedPairs.MAX_PAIRS);
  }

  LoginThrottle(LongSupplier nanoClock, int maxUsers, int maxAddresses, int maxTrustedPairs) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    if (maxUsers < 1 || maxAddresses < 1) throw new IllegalArgumentException("must track at least one of each");
    this.maxUsers = maxUsers;
    this.maxAddresses = maxAddresses;
    this.trusted = new TrustedPairs(maxTrustedPairs);
  }

  /** Asks before the challenge goes out whether {@code user} may try to log in from {@code address}. */
  public synchronized Admission admit(String user, String address) {
    long now = nanoClock.getAsLong();
    forgetExpired(now);
    RecentFailures u = locked.get(userKey(user));
    if (u != null) return new Admission.LockedOut(Duration.ofNanos(u.lockedUntil - now));
    String key = ADDRESS_PREFIX + address;
    RecentFailures a = addresses.get(key);
    if (a == null || !a.slowed(now, windowNanos) || trusted.contains(user, address, now)) {
      return new Admission.Admitted(Ticket.NONE);
    }
    long id = ++lastTicketId;
    if (!a.takeSlot(id, now + slotNanos, now)) {
      return new Admission.Busy(Duration.ofNanos(Math.max(1, a.firstSlotFree(now))));
    }
    return new Admission.Admitted(new Ticket(key, id));
  }

  /** Gives a login slot back: the login succeeded, or its failure was answered. */
  public synchronized void release(Ticket ticket) {
    if (ticket.addressKey() == null) return;
    RecentFailures a = addresses.get(ticket.addressKey());
    if (a != null) a.freeSlot(ticket.id());
  }

  /**
   * Counts one failed login for the user name and the address and returns how long to wait before answering
   * it: {@link #BASE_DELAY} doubled for each further recent failure of the user or the address, whichever has
   * more, up to {@link #MAX_DELAY}; {@link #MAX_DELAY} at once for an address under attack (unless the pair is
   * trusted) or a key the full table could not take.
   */
  public synchronized Duration recordFailure(String user, String address) {
    long now = nanoClock.getAsLong();
    forgetExpired(now);
    failAddress(ADDRESS_PREFIX + address, now, address);
    return failUser(userKey(user), now, user) ? delay(user, address, now) : MAX_DELAY;
  }

  /** The delay {@link #recordFailure} would answer with now, without counting anything. */
  public synchronized Duration failureDelay(String user, String address) {
    return delay(user, address, nanoClock.getAsLong());
  }

  /**
   * A successful login clears the user's count and trusts the pair, so failures of others from this address no
   * longer slow this user. The address count stays: registration is open, so clearing it would let anyone reset
   * their address's count between guesses at other accounts with a login of their own.
   */
  public synchronized void recordSuccess(String user, String address) {
    open.remove(userKey(user));
    trusted.add(user, address, nanoClock.getAsLong());
  }

  /** The remaining lockout of {@code user}; ask before even trying the password. */
  public synchronized Optional<Duration> lockedOut(String user) {
    long now = nanoClock.getAsLong();
    RecentFailures f = locked.get(userKey(user));
    return f == null || f.lockedUntil - now <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(f.lockedUntil - now));
  }

  /** True while {@code address} counts as under attack. */
  public synchronized boolean isSlowed(String address) {
    RecentFailures a = addresses.get(ADDRESS_PREFIX + address);
    return a != null && a.slowed(nanoClock.getAsLong(), windowNanos);
  }

  /** How many user names and addresses are being tracked; never above the cap. */
  public synchronized int trackedKeys() {
    return open.size() + locked.size() + addresses.size();
  }

  /** How many (user, address) pairs are trusted; never above {@link TrustedPairs#MAX_PAIRS}. */
  public synchronized int trustedPairs() {
    return trusted.size();
  }

  private static String userKey(String user) {
    return UserNames.isValid(user) ? USER_PREFIX + user : INVALID_NAMES_KEY;
  }

  private Duration delay(String user, String address, long now) {
    int userFailures = recent(userKey(user), now);
    boolean exempt = trusted.contains(user, address, now);
    RecentFailures a = addresses.get(ADDRESS_PREFIX + address);
    if (!exempt && a != null && a.slowed(now, windowNanos)) return MAX_DELAY;
    int failures = Math.max(userFailures, exempt || a == null ? 0 : a.countSince(now - windowNanos));
    int doublings = Math.min(Math.max(failures, 1) - 1, MAX_DOUBLINGS);
    Duration d = BASE_DELAY.multipliedBy(1L << doublings);
    return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
  }

  /** Records a failure of a user name; false when the table is full of locks and the name could not be added. */
  private boolean failUser(String key, long now, String who) {
    RecentFailures f = locked.get(key);
    if (f != null) {
      f.add(now); // a login that began before the lock; the lock's end stays
      return true;
    }
    f = open.remove(key);
    if (f == null) {
      if (open.size() + locked.size() >= maxUsers) {
        Iterator<RecentFailures> oldest = open.values().iterator();
        if (!oldest.hasNext()) return false; // every entry is a lock that has not run out: never drop one
        oldest.next();
        oldest.remove();
      }
      f = new RecentFailures(USER_LOCKOUT_FAILURES, false, 0);
    }
    f.add(now);
    if (f.countSince(now - windowNanos) >= USER_LOCKOUT_FAILURES) {
      f.lockedUntil = now + lockoutNanos;
      locked.put(key, f);
      log.warn("user {} locked out of logins for {} minutes after {} failures in {} minutes", LogText.of(who),
          LOCKOUT.toMinutes(), USER_LOCKOUT_FAILURES, WINDOW.toMinutes());
    } else {
      open.put(key, f);
    }
    return true;
  }

  private void failAddress(String key, long now, String who) {
    RecentFailures f = addresses.remove(key);
    if (f == null) {
      if (addresses.size() >= maxAddresses) {
        Iterator<RecentFailures> oldest = addresses.values().iterator();
        oldest.next();
        oldest.remove();
      }
      f = new RecentFailures(ADDRESS_SLOWDOWN_FAILURES, true, MAX_LOGINS_IN_FLIGHT);
    }
    boolean wasSlowed = f.slowed(now, windowNanos);
    f.add(now);
    addresses.put(key, f);
    if (!wasSlowed && f.slowed(now, windowNanos)) {
      log.warn("address {} slowed down after {} failed logins in {} minutes", LogText.of(who),
          ADDRESS_SLOWDOWN_FAILURES, WINDOW.toMinutes());
    }
  }

  private int recent(String key, long now) {
    RecentFailures f = open.get(key);
    if (f == null) f = locked.get(key);
    return f == null ? 0 : f.countSince(now - windowNanos);
  }

  /** Ends locks that ran out and drops unlocked keys whose last failure left the window; stops at a live one. */
  private void forgetExpired(long now) {
    for (Iterator<RecentFailures> it = locked.values().iterator(); it.hasNext(); ) {
      if (it.next().lockedUntil - now > 0) break;
      it.remove(); // its failures are as old as the lock, so none is still in the window
    }
    for (Iterator<RecentFailures> it = open.values().iterator(); it.hasNext(); ) {
      if (now - it.next().last() < windowNanos) break;
      it.remove();
    }
    for (Iterator<RecentFailures> it = addresses.values().iterator(); it.hasNext(); ) {
      RecentFailures f = it.next();
      if (now - f.last() < windowNanos || f.hasSlots(now)) break;
      it.remove();
    }
  }
}
