package dev.selectftp.server.files;

import dev.selectftp.common.Sizes;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.ProtocolException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Per-user quota accounting, in memory: {@code used = stored + reserved}, where {@code stored} is the bytes
 * of the user's files and partials on disk and {@code reserved} the sum of the live upload reservations of
 * all the user's sessions.
 *
 * <p>{@code stored} is scanned from disk on a user's first use (one whole-home walk) and then kept current
 * by deltas from uploads and {@link #adjustStored}. {@link #forget} drops it so that it is scanned again.
 *
 * <p><b>Threading:</b> not thread-safe, on purpose. It is confined to the event-loop thread, which makes
 * check-and-reserve a single step: two sessions racing for the last bytes of a quota are served one after
 * the other, and the second sees the first's reservation.
 */
public final class Quotas {
  private final ToLongFunction<String> limitOf;
  private final ToLongFunction<String> scanStored;
  private final Map<String, Account> accounts = new HashMap<>();

  /**
   * @param limitOf the user's limit in bytes, asked on every check so that a changed limit applies at once
   *     ({@link Long#MAX_VALUE} for no limit)
   * @param scanStored bytes the user stores on disk, partials included (e.g. {@link FileStore#usedBytes})
   */
  public Quotas(ToLongFunction<String> limitOf, ToLongFunction<String> scanStored) {
    this.limitOf = limitOf;
    this.scanStored = scanStored;
  }

  /** A snapshot of one user's numbers. */
  public record Usage(long stored, long reserved, long limit) {
    /** Stored plus reserved (saturating). */
    public long used() {
      return saturatedAdd(stored, reserved);
    }

    /** What is left under the limit, never negative. */
    public long free() {
      return Math.max(0, limit - used());
    }
  }

  /** The user's current numbers (scanning the home on first use). */
  public Usage usage(String user) {
    Account a = account(user);
    return new Usage(storedOf(user, a), a.reserved, limitOf.applyAsLong(user));
  }

  /**
   * Reserves room for an upload, or refuses it before any byte moves. Succeeds iff
   * {@code stored + reserved + bytes - credit <= limit}, which is the user's usage once the upload is done.
   *
   * <p>For an upload of {@code size} bytes whose own partial already holds {@code p} bytes and which
   * replaces a file of {@code f} bytes: {@code bytes = size - p} (what will still land on disk) and
   * {@code credit = f} (what the rename will free). The partial's {@code p} bytes are already in
   * {@code stored}, so they count once, exactly as docs/PROTOCOL.md's rule ("plus this file's size, minus
   * the file it replaces and minus what its own partial holds") says. Only {@code bytes} is held as
   * reserved: the credit becomes real only if the upload succeeds, so other sessions never get to spend it.
   *
   * @throws ProtocolException QUOTA_EXCEEDED, with the needed and free amounts in human units
   * @throws IllegalArgumentException if {@code bytes} or {@code credit} is negative
   */
  public Reservation reserve(String user, long bytes, long credit) throws ProtocolException {
    if (bytes < 0 || credit < 0) throw new IllegalArgumentException("bytes and credit must be >= 0");
    Account a = account(user);
    long stored = storedOf(user, a);
    long limit = limitOf.applyAsLong(user);
    long used = saturatedAdd(stored, a.reserved);
    long after = saturatedAdd(used, bytes) - credit;
    if (after > limit) {
      long needed = Math.max(0, bytes - credit);
      long free = Math.max(0, limit - used);
      throw new ProtocolException(ErrorCode.QUOTA_EXCEEDED, "the upload needs " + Sizes.format(needed)
          + " but only " + Sizes.format(free) + " of your " + Sizes.format(limit) + " quota is free");
    }
    a.reserved += bytes;
    return new Reservation(a, bytes);
  }

  /** Applies a change of stored bytes made outside an upload (a delete frees bytes: negative delta). */
  public void adjustStored(String user, long delta) {
    Account a = account(user);
    a.version++;
    if (a.stored != Account.UNKNOWN) a.stored = Math.max(0, a.stored + delta);
  }

  /** True once the user's stored bytes are counted, so no scan is needed. */
  public boolean isKnown(String user) {
    Account a = accounts.get(user);
    return a != null && a.stored != Account.UNKNOWN;
  }

  /** A token for {@link #primeStored}; it changes whenever the user's stored bytes change or are forgotten. */
  public long version(String user) {
    return account(user).version;
  }

  /**
   * Records the stored bytes from a scan made off the loop (at login), so the first quota check need not
   * walk the home on the loop. Ignored when the bytes are already known, or anything changed since
   * {@code version} was taken: the scan may have missed that change.
   */
  public void primeStored(String user, long stored, long version) {
    Account a = account(user);
    if (a.stored == Account.UNKNOWN && a.version == version) a.stored = Math.max(0, stored);
  }

  /**
   * Drops the user's cached stored bytes so they are scanned again on next use (after admin changes or a
   * clean-up of stale partials). Live reservations stay counted.
   */
  public void forget(String user) {
    Account a = accounts.get(user);
    if (a != null) a.invalidate();
  }

  private Account account(String user) {
    return accounts.computeIfAbsent(user, u -> new Account());
  }

  private long storedOf(String user, Account a) {
    if (a.stored == Account.UNKNOWN) a.stored = Math.max(0, scanStored.applyAsLong(user));
    return a.stored;
  }

  private static long saturatedAdd(long x, long y) {
    long r = x + y;
    return ((x ^ r) & (y ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private static final class Account {
    static final long UNKNOWN = -1;
    long stored = UNKNOWN;
    long reserved;
    /** Bumped whenever stored is rescanned, so deltas measured against an older scan are not applied twice. */
    int generation;
    /** Bumped on every change or invalidation, so a scan taken before one is not recorded after it. */
    long version;

    void invalidate() {
      stored = UNKNOWN;
      generation++;
      version++;
    }
  }

  /** Room held for one upload until it is committed or released; each ends it once, later calls do nothing. */
  public static final class Reservation {
    private final Account account;
    private final long bytes;
    private final int generation;
    private boolean open = true;

    private Reservation(Account account, long bytes) {
      this.account = account;
      this.bytes = bytes;
      this.generation = account.generation;
    }

    /** The bytes held. */
    public long bytes() {
      return bytes;
    }

    /** True until {@link #commit} or {@link #release}. */
    public boolean isOpen() {
      return open;
    }

    /**
     * The upload succeeded: adds {@code storedDelta} (new size on disk minus old, e.g. {@code size - p - f})
     * to stored and releases the reservation. Idempotent.
     */
    public void commit(long storedDelta) {
      end(storedDelta);
    }

    /**
     * The upload was aborted: the bytes it actually wrote to its partial (net of any truncation) move into
     * stored, the reservation is released. Idempotent; does nothing after {@link #commit}.
     */
    public void release(long storedDelta) {
      end(storedDelta);
    }

    private void end(long storedDelta) {
      if (!open) return;
      open = false;
      account.reserved -= bytes;
      if (account.stored == Account.UNKNOWN) return; // the next scan will see the disk as it is
      if (account.generation != generation) {
        // stored was rescanned mid-upload and already saw part of these bytes: rescan again instead.
        account.invalidate();
        return;
      }
      account.stored = Math.max(0, account.stored + storedDelta);
    }
  }
}
