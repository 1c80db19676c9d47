package dev.selectftp.server.transfer;

import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.quota.Reservation;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The quota side of one {@link Upload}: its reservation, the bytes of the partial that the user's stored total
 * already counts, and, for an upload of unknown size, how far the reservation has grown. Every end settles the
 * difference with the disk through {@link #settle}, once. Loop-thread confined.
 */
final class UploadQuota {
  private final Quotas quotas;
  private final String user;
  /** Size of the file the upload replaces, credited against the quota. */
  private final long replacing;
  /** Null until {@link #reserve}, and while {@link #renew} waits for a new one. */
  private Reservation reservation;
  /** Bytes of the partial that the user's stored total already counts. */
  private long counted;
  /**
   * Bytes of an upload of unknown size that the reservation already covers (FTP's ALLO, or slices that
   * arrived); each slice past them grows the reservation first.
   */
  private long allowance;
  /** Set when a slice of an upload of unknown size would have gone over the quota. */
  private Refused spent;

  UploadQuota(Quotas quotas, String user, long replacing) {
    this.quotas = quotas;
    this.user = user;
    this.replacing = replacing;
  }

  /** Size of the file the upload replaces; 0 if there is none. */
  long replacing() {
    return replacing;
  }

  /** Bytes of the partial that the user's stored total already counts. */
  long counted() {
    return counted;
  }

  /**
   * Reserves {@code bytes} with {@code credit} (the replaced file, and what the partial holds that is dropped).
   *
   * @throws Refused QUOTA_EXCEEDED, nothing reserved
   */
  void reserve(long bytes, long credit) throws Refused {
    reservation = quotas.reserve(user, bytes, credit);
  }

  /**
   * Counts a new partial as an entry before it is created.
   *
   * @throws Refused QUOTA_EXCEEDED (too many files)
   */
  void claimEntry() throws Refused {
    quotas.claimEntry(user);
  }

  /** The new partial claimed by {@link #claimEntry} was never created. */
  void unclaimEntry() {
    quotas.apply(user, new Tally(0, -1));
  }

  /** The partial found holds {@code bytes}, which the stored total already counts. */
  void countHeld(long bytes) {
    counted = bytes;
  }

  /** The partial was emptied: its bytes leave the stored total at once. */
  void dropHeld() {
    quotas.apply(user, new Tally(-counted, 0));
    counted = 0;
  }

  /**
   * The partial was emptied to start over: the old reservation ends with its bytes uncounted, and a new one
   * holds {@code bytes} with the replaced file as credit.
   *
   * @throws Refused QUOTA_EXCEEDED; then nothing is reserved, and the end settles the emptied partial itself
   */
  void renew(long bytes) throws Refused {
    Reservation old = reservation;
    reservation = null;
    old.release(new Tally(-counted, 0));
    counted = 0;
    reservation = quotas.reserve(user, bytes, replacing);
    allowance = 0;
  }

  /**
   * Holds room up front for {@code bytes} of an upload of unknown size (FTP's ALLO); nothing more when the
   * allowance already covers them.
   *
   * @throws Refused QUOTA_EXCEEDED, nothing reserved
   */
  void allocate(long bytes) throws Refused {
    if (bytes <= allowance) return;
    quotas.grow(user, reservation, bytes - allowance);
    allowance = bytes;
  }

  /**
   * Holds room for a copy of the replaced file (the start of an append); its credit covers it.
   *
   * @throws Refused QUOTA_EXCEEDED (only a user already over the quota)
   */
  void holdCopy() throws Refused {
    quotas.grow(user, reservation, replacing);
  }

  /**
   * Holds room for an upload of unknown size to have received {@code total} bytes, or notes in {@link #spent}
   * that the quota cannot hold them.
   */
  void growTo(long total) {
    long more = total - allowance;
    if (more <= 0) return;
    try {
      quotas.grow(user, reservation, more);
      allowance += more;
    } catch (Refused e) {
      spent = e;
    }
  }

  /** QUOTA_EXCEEDED once {@link #growTo} did not fit, else null. */
  Refused spent() {
    return spent;
  }

  /** The bytes a partial left behind may keep: the room the quota leaves without the replaced file's credit. */
  long roomWithoutCredit() {
    return quotas.roomWithoutCredit(user, counted, reservation);
  }

  /**
   * Blocking, helper threads only: the ledger several nodes share must grant the bytes reserved so far
   * ({@link Reservation#confirmSharedBlocking}). Asked at the start, before the partial opens (the declared
   * size) and after FTP's ALLO in its {@link #confirmShared} form; blocking only just before the publish.
   *
   * @throws Refused QUOTA_EXCEEDED when other nodes use the room
   */
  void confirmSharedBlocking() throws Refused, IOException {
    if (reservation != null) reservation.confirmSharedBlocking();
  }

  /**
   * {@link #confirmSharedBlocking} without blocking, for the loop: the ledger's statement runs on its own thread
   * and {@code done} gets null (granted) or the refusal or failure on the loop; at once without a ledger.
   */
  void confirmShared(Consumer<Exception> done) {
    if (reservation == null) {
      done.accept(null);
    } else {
      reservation.confirmShared(done);
    }
  }

  /** Ends the upload's hold on the quota, applying {@code delta} to the user's totals; the caller calls it once. */
  void settle(Tally delta) {
    if (reservation != null) {
      reservation.release(delta);
    } else if (!delta.equals(Tally.ZERO)) {
      quotas.apply(user, delta);
    }
  }
}
