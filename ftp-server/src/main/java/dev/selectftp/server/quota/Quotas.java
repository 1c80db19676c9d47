package dev.selectftp.server.quota;

import dev.selectftp.server.storage.Tally;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.common.Sizes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Per-user quota accounting, in memory, on two axes: bytes ({@code used = stored + reserved}, where
 * {@code stored} is the bytes of the user's files and partials on disk and {@code reserved} the sum of the
 * live upload reservations of all the user's sessions) and entries (files, folders and partials on disk).
 *
 * <p><b>Never a walk on the loop.</b> A user's totals are counted once, off the loop, by the
 * {@link Counter} ({@link #whenKnown}, at login; the session waits with its input paused), and from then on
 * kept exact by deltas: uploads through their {@link Reservation}, changes on the loop through
 * {@link #apply}, changes made off the loop (the stale-partial clean-up) between {@link #beginChange} and
 * {@link #endChange}, which hold back any count of that home until the delta is in.
 * Asked about a user not counted yet, every method refuses ({@code busy}) instead of scanning.
 *
 * <p><b>Threading:</b> not thread-safe, on purpose. It is confined to the event-loop thread, which makes
 * check-and-reserve a single step: two sessions racing for the last bytes of a quota are served one after
 * the other, and the second sees the first's reservation.
 */
public final class Quotas {
  /** Counts a user's home off the loop and calls back on the loop with the total or the failure. */
  public interface Counter {
    void count(String user, BiConsumer<Tally, Exception> onLoop);
  }

  private final ToLongFunction<String> limitOf;
  private final long maxEntries;
  private final Counter counter;
  private final SharedQuota shared;
  private final Map<String, QuotaAccount> accounts = new HashMap<>();

  /**
   * @param limitOf the user's limit in bytes, asked on every check so that a changed limit applies at once
   *     ({@link Long#MAX_VALUE} for no limit)
   * @param maxEntries files, folders and partials one user may hold (ServerConfig.maxFiles)
   * @param counter counts a home off the loop (e.g. {@code Storage.tally} on a helper thread)
   */
  public Quotas(ToLongFunction<String> limitOf, long maxEntries, Counter counter) {
    this(limitOf, maxEntries, counter, SharedQuota.LOCAL);
  }

  /**
   * Like {@link #Quotas(ToLongFunction, long, Counter)}, and every reservation, end, change and fresh count is
   * also written to {@code shared}, the ledger several nodes share; an upload is published only once the
   * ledger granted its bytes ({@link Reservation#confirmSharedBlocking}).
   */
  public Quotas(ToLongFunction<String> limitOf, long maxEntries, Counter counter, SharedQuota shared) {
    if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be positive");
    this.limitOf = limitOf;
    this.maxEntries = maxEntries;
    this.counter = counter;
    this.shared = shared;
  }

  /** A snapshot of one user's numbers. */
  public record Usage(long stored, long reserved, long limit, long entries, long maxEntries) {
    /** Stored plus reserved (saturating). */
    public long used() {
      return saturatedAdd(stored, reserved);
    }

    /** What is left under the limit, never negative. */
    public long free() {
      return Math.max(0, limit - used());
    }
  }

  /** True once the user's totals are counted (for any account of that name). */
  public boolean isKnown(String user) {
    QuotaAccount a = accounts.get(user);
    return a != null && a.known;
  }

  /**
   * True once the totals of this account are counted: {@code generation} tells accounts of one name apart
   * (the account's creation stamp), so a name removed and registered again is counted afresh.
   */
  public boolean isKnown(String user, String generation) {
    QuotaAccount a = accounts.get(user);
    return a != null && a.known && generation.equals(a.generation);
  }

  /**
   * Runs {@code then} once the totals of the account are known: at once if they are, else after a count
   * off the loop (one count per user, however many sessions wait for it). {@code then} gets null, or the
   * failure of the count, after which the user stays uncounted and the next call counts again. Totals of
   * an earlier account of the same name are dropped and counted again, unless uploads of it still run.
   */
  public void whenKnown(String user, String generation, Consumer<Exception> then) {
    QuotaAccount a = accounts.computeIfAbsent(user, u -> new QuotaAccount());
    if (a.known && !generation.equals(a.generation) && a.reserved == 0) {
      a.known = false; // a new account of this name: its home is not the one counted
      a.version++;
    }
    if (!a.known) a.generation = generation;
    if (a.known) {
      then.accept(null);
      return;
    }
    a.waiters.add(then);
    if (!a.counting) startCount(user, a);
  }

  private void startCount(String user, QuotaAccount a) {
    a.counting = true;
    long version = a.version;
    counter.count(user, (tally, failure) -> counted(user, a, version, tally, failure));
  }

  private void counted(String user, QuotaAccount a, long version, Tally tally, Exception failure) {
    if (failure == null && a.pendingChanges > 0) {
      a.recountWhenSettled = true; // a clean-up is deleting in this home right now: count once it is done
      return;
    }
    if (failure == null && a.version != version) {
      startCount(user, a); // something changed while the walk ran: it may have missed that change
      return;
    }
    a.counting = false;
    if (failure == null) {
      a.known = true;
      a.stored = Math.max(0, tally.bytes());
      a.entries = Math.max(0, tally.entries());
      shared.counted(user, a.stored);
    }
    List<Consumer<Exception>> waiting = new ArrayList<>(a.waiters);
    a.waiters.clear();
    waiting.forEach(w -> w.accept(failure));
  }

  /**
   * Announces a change a helper thread is about to make in the user's home outside any upload (the
   * stale-partial clean-up): until {@link #endChange}, no count of that home is trusted, since it could see
   * the disk after the change but the totals before its delta.
   */
  public void beginChange(String user) {
    QuotaAccount a = accounts.computeIfAbsent(user, u -> new QuotaAccount());
    a.pendingChanges++;
    a.version++;
  }

  /** Ends a change begun by {@link #beginChange}, applying what it did ({@code delta}, e.g. what it freed). */
  public void endChange(String user, Tally delta) {
    QuotaAccount a = accounts.get(user);
    if (a == null || a.pendingChanges == 0) throw new IllegalStateException("no change in progress for this user");
    a.pendingChanges--;
    apply(user, delta);
    if (a.pendingChanges > 0) return;
    if (a.recountWhenSettled) {
      a.recountWhenSettled = false;
      startCount(user, a);
    } else if (!a.known && !a.counting && a.waiters.isEmpty()) {
      accounts.remove(user); // nobody asked about this user: keep no state for them
    }
  }

  /** The user's numbers, if counted. */
  public Optional<Usage> find(String user) {
    QuotaAccount a = accounts.get(user);
    if (a == null || !a.known) return Optional.empty();
    return Optional.of(new Usage(a.stored, a.reserved, limitOf.applyAsLong(user), a.entries, maxEntries));
  }

  /**
   * The user's numbers.
   *
   * @throws Refused BUSY if the user is not counted yet (never scans)
   */
  public Usage usage(String user) throws Refused {
    return find(user).orElseThrow(Quotas::notCounted);
  }

  /**
   * Reserves room for an upload, or refuses it before any byte moves. Succeeds iff
   * {@code stored + reserved + bytes - credit <= limit}, which is the user's usage once the upload is done.
   *
   * <p>For an upload of {@code size} bytes whose own partial already holds {@code p} bytes and which
   * replaces a file of {@code f} bytes: {@code bytes = size - p} (what will still land on disk) and
   * {@code credit = f} (what the rename will free). The partial's {@code p} bytes are already in
   * {@code stored}, so they count once, exactly as docs/PROTOCOL.md's rule says. Only {@code bytes} is held
   * as reserved: the credit becomes real only if the upload succeeds, so other sessions never get to spend
   * it; and an upload that ends without success keeps no more than fits without it (see
   * {@link #roomWithoutCredit}).
   *
   * @throws Refused QUOTA_EXCEEDED, with the needed and free amounts in human units; BUSY if the
   *     user is not counted yet
   * @throws IllegalArgumentException if {@code bytes} or {@code credit} is negative
   */
  public Reservation reserve(String user, long bytes, long credit) throws Refused {
    if (bytes < 0 || credit < 0) throw new IllegalArgumentException("bytes and credit must be >= 0");
    QuotaAccount a = known(user);
    long limit = limitOf.applyAsLong(user);
    long used = saturatedAdd(a.stored, a.reserved);
    long after = saturatedAdd(used, bytes) - credit;
    if (after > limit) {
      long needed = Math.max(0, bytes - credit);
      long free = Math.max(0, limit - used);
      throw new Refused(Refusal.QUOTA_EXCEEDED, "the upload needs " + Sizes.format(needed)
          + " but only " + Sizes.format(free) + " of your " + Sizes.format(limit) + " quota is free");
    }
    a.reserved += bytes;
    return new Reservation(a, bytes, credit, shared.hold(user));
  }

  /**
   * Grows an open reservation by {@code more} bytes as they arrive, for an upload whose size was not
   * declared (FTP's STOR): the rule of {@link #reserve} ({@code stored + reserved + more - credit <= limit}),
   * checked for each slice before it is written instead of once up front.
   *
   * @throws Refused QUOTA_EXCEEDED when the slice would take the user over the limit; nothing is grown
   * @throws IllegalArgumentException if {@code more} is negative, or the reservation is not the user's open one
   */
  public void grow(String user, Reservation reservation, long more) throws Refused {
    if (more < 0) throw new IllegalArgumentException("more must be >= 0");
    QuotaAccount a = known(user);
    if (reservation.account != a || !reservation.open) throw new IllegalArgumentException("not an open reservation");
    long limit = limitOf.applyAsLong(user);
    long after = saturatedAdd(saturatedAdd(a.stored, a.reserved), more) - reservation.credit;
    if (after > limit) {
      throw new Refused(Refusal.QUOTA_EXCEEDED, "the upload went over your " + Sizes.format(limit)
          + " quota after " + Sizes.format(reservation.bytes) + "; nothing was stored");
    }
    a.reserved += more;
    reservation.bytes += more;
    reservation.shared.extend(reservation.netBytes());
  }

  /**
   * Counts one new entry (a folder, or an upload's new partial) that the caller is about to create, or
   * refuses. The caller undoes it with {@code apply(user, new Tally(0, -1))} if the creation fails.
   *
   * @throws Refused QUOTA_EXCEEDED when the user already holds the most entries allowed; BUSY if
   *     the user is not counted yet
   */
  public void claimEntry(String user) throws Refused {
    QuotaAccount a = known(user);
    if (a.entries >= maxEntries) {
      throw new Refused(Refusal.QUOTA_EXCEEDED, "you hold " + a.entries
          + " files, folders and unfinished uploads, the most allowed (" + maxEntries + "); delete some first");
    }
    a.entries++;
  }

  /**
   * Applies a change made on disk, on the loop, outside an upload's reservation: a delete
   * ({@code (-size, -1)}), a folder that could not be made after all, a truncated partial. For a user not
   * counted yet only a count in flight is affected: it is redone, since its walk may have missed the change.
   */
  public void apply(String user, Tally delta) {
    shared.add(user, delta.bytes()); // the disk changed whether or not this node counted the user yet
    QuotaAccount a = accounts.get(user);
    if (a == null) return;
    a.version++;
    if (!a.known) return;
    a.stored = Math.max(0, a.stored + delta.bytes());
    a.entries = Math.max(0, a.entries + delta.entries());
  }

  /**
   * The most bytes an upload's partial may keep when the upload ends without success so that, with
   * everything else the user stores and every other live reservation, the limit holds <em>without</em> the
   * credit of the file it was to replace: {@code limit - (stored - ownCounted) - (reserved - own)}, at
   * least 0 (0 for a user not counted, which has no uploads); with a shared ledger, at most {@code ownCounted}
   * plus what the ledger granted the upload.
   *
   * @param ownCounted the bytes of this partial that {@code stored} already counts
   * @param own the upload's reservation, or null if it holds none
   */
  public long roomWithoutCredit(String user, long ownCounted, Reservation own) {
    QuotaAccount a = accounts.get(user);
    if (a == null || !a.known) return 0;
    long ownReserved = own != null && own.isOpen() && own.account == a ? own.bytes : 0;
    long others = saturatedAdd(Math.max(0, a.stored - ownCounted), a.reserved - ownReserved);
    long room = Math.max(0, limitOf.applyAsLong(user) - others);
    // Across nodes a partial may keep only what the shared ledger granted it (none when it refused or has
    // not answered yet), so a kept partial never takes the ledger over the quota either.
    return own != null && own.isOpen() ? Math.min(room, saturatedAdd(ownCounted, own.shared.granted())) : room;
  }

  private QuotaAccount known(String user) throws Refused {
    QuotaAccount a = accounts.get(user);
    if (a == null || !a.known) throw notCounted();
    return a;
  }

  private static Refused notCounted() {
    return new Refused(Refusal.BUSY, "your files are still being counted; try again in a moment");
  }

  static long saturatedAdd(long x, long y) {
    long r = x + y;
    return ((x ^ r) & (y ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
