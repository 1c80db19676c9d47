package dev.selectftp.server.transfer;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.common.LogText;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.quota.Reservation;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upload into a hidden partial file: it holds the target's and the partial's lock and a quota
 * reservation from {@link #begin} until it is committed, discarded or aborted, and only a verified file
 * ever reaches the real name. Loop-thread confined except the methods marked blocking, which run on a
 * helper thread while the session waits.
 *
 * <p><b>Quota.</b> {@code counted} is what the user's stored bytes already include of the partial; every
 * end settles the difference with the disk exactly, and a new partial is counted as an entry before it is
 * created. An upload that replaces a file is admitted with the old file's size as credit, so while it runs
 * the disk may hold both (at most the quota plus the replaced file); if it ends without success its
 * partial is trimmed to what fits the quota without that credit ({@link Quotas#roomWithoutCredit}), and
 * deleted if nothing fits, so at rest stored + partial bytes never exceed the quota.
 */
public final class Upload {
  private static final Logger log = LoggerFactory.getLogger(Upload.class);
  /**
   * The size of an upload that did not declare one (FTP's STOR): its quota is checked as bytes arrive
   * ({@link Quotas#grow}) rather than reserved up front, and it ends at {@link #endOfData}.
   */
  public static final long UNKNOWN_SIZE = -1;

  private final String user;
  private final HomeStore home;
  private final String virtualPath;
  private final Path real;
  private final Path partial;
  /** Declared, or {@link #UNKNOWN_SIZE} until {@link #endOfData}. */
  private long size;
  private final Quotas quotas;
  private final UploadLocks locks;
  private final UploadLocks.Lock lock;
  private final MessageDigest digest = Sha256.newDigest();
  private final long startedNanos = System.nanoTime();
  private final long quotaBefore;
  private FileChannel channel;
  private Reservation reservation;
  /** Bytes the partial held when offered (the resume point). */
  private long kept;
  /** Bytes of the partial that the user's stored total already counts. */
  private long counted;
  private long offset;
  private long received;
  /** Size of the file this upload replaces, credited against the quota. */
  private long oldSize;
  /** Set by {@link #commitBlocking}: the published size and the file it replaced. */
  private long publishedSize;
  private long replacedSize;
  private boolean replacedFile;
  private String sha256;
  private IOException writeFailure;
  /**
   * Bytes of an upload of unknown size that its reservation already covers (FTP's ALLO); each slice past
   * them grows the reservation first.
   */
  private long allowance;
  /** The partial starts as a copy of the file it replaces ({@link #holdForCopy}): an append. */
  private boolean copying;
  /** Set when a slice of an upload of unknown size would have gone over the quota; nothing more is written. */
  private Refused overQuota;
  private boolean ended;

  private Upload(String user, HomeStore home, String virtualPath, Path real, Path partial, long size,
      Quotas quotas, UploadLocks locks, UploadLocks.Lock lock, long quotaBefore) {
    this.user = user;
    this.home = home;
    this.virtualPath = virtualPath;
    this.real = real;
    this.partial = partial;
    this.size = size;
    this.quotas = quotas;
    this.locks = locks;
    this.lock = lock;
    this.quotaBefore = quotaBefore;
  }

  /**
   * Checks the target, takes the locks, reserves quota (bytes, and an entry for a new partial) and opens
   * the partial. The quota checks come before anything is written, so a refusal costs no file bytes.
   *
   * @throws Refused IS_A_DIRECTORY, BAD_PATH (no room for the partial's path), BUSY (the name or
   *     its partial is held), QUOTA_EXCEEDED, or as {@link HomeStore#openWrite}
   */
  public static Upload begin(String user, HomeStore home, Quotas quotas, UploadLocks locks, String virtualPath,
      long size) throws Refused, IOException {
    long before = quotas.usage(user).used();
    FileInfo target = home.stat(virtualPath);
    if (target.exists() && target.dir()) {
      throw new Refused(Refusal.IS_A_DIRECTORY, virtualPath + " is a folder");
    }
    Path partial = home.partialFor(target.real());
    if (!home.partialFits(partial)) {
      throw new Refused(Refusal.BAD_PATH, "the path " + virtualPath + " is too long for an upload");
    }
    UploadLocks.Lock lock = locks.tryLock(target.real(), partial);
    if (lock == null) {
      throw new Refused(Refusal.BUSY, virtualPath + " is being uploaded by another session");
    }
    Upload upload = new Upload(user, home, virtualPath, target.real(), partial, size, quotas, locks, lock, before);
    try {
      upload.open(target);
      return upload;
    } catch (Refused | IOException | RuntimeException e) {
      upload.abort();
      throw e;
    }
  }

  private void open(FileInfo target) throws Refused, IOException {
    FileInfo held = home.statReal(partial);
    if (held.dir()) throw new Refused(Refusal.FORBIDDEN, "the upload of " + virtualPath + " is blocked");
    long existing = held.exists() ? held.size() : 0;
    long keep = size == UNKNOWN_SIZE || existing <= size ? existing : 0;
    oldSize = target.exists() ? target.size() : 0;
    reservation = quotas.reserve(user, size == UNKNOWN_SIZE ? 0 : size - keep, oldSize + (existing - keep));
    if (!held.exists()) quotas.claimEntry(user);
    try {
      channel = home.openWrite(partial, false);
    } catch (Refused e) {
      if (!held.exists()) quotas.apply(user, new Tally(0, -1)); // nothing was created
      throw e;
    }
    counted = existing;
    if (keep != existing) {
      channel.truncate(0);
      quotas.apply(user, new Tally(-existing, 0));
      counted = 0;
    }
    kept = keep;
  }

  /** Bytes of this file the server already holds: the offer made in {@code put-ready}. */
  public long kept() {
    return kept;
  }

  /** Blocking: hashes the kept bytes into the running digest and returns their hex SHA-256. */
  public String hashKept() throws IOException, Refused {
    // The write channel cannot read; a separate read channel goes through the same confinement checks.
    try (FileChannel reader = home.openRead(partial)) {
      Sha256.update(digest, reader, kept);
    }
    return Sha256.peekHex(digest);
  }

  /**
   * Accepts the client's {@code put-data} header: resume at {@link #kept()} or start over at 0.
   *
   * @throws Refused when the offset or length disagree with the offer
   */
  public void accept(long offset, long length) throws Refused, IOException {
    if (offset != kept && offset != 0) {
      throw new Refused(Refusal.BAD_REQUEST, "offset must be " + kept + " (resume) or 0");
    }
    if (size == UNKNOWN_SIZE ? length != UNKNOWN_SIZE : length != size - offset) {
      throw new Refused(Refusal.BAD_REQUEST, "length must be " + (size - offset));
    }
    if (offset == 0 && kept > 0) {
      // The client's bytes differ from ours: drop ours and hold the whole size instead.
      channel.truncate(0);
      digest.reset();
      Reservation old = reservation;
      reservation = null; // if the new reservation is refused, the abort settles the truncation itself
      old.release(new Tally(-counted, 0));
      counted = 0;
      kept = 0;
      reservation = quotas.reserve(user, size == UNKNOWN_SIZE ? 0 : size, oldSize);
      allowance = 0;
    }
    this.offset = offset;
    channel.position(offset);
  }

  /**
   * Raw bytes still expected after the {@code put-data} header; {@link Long#MAX_VALUE} while the size is
   * unknown, and 0 once such an upload went over the quota (nothing more is taken: the sender is cut off).
   */
  public long remaining() {
    if (size == UNKNOWN_SIZE) return overQuota == null ? Long.MAX_VALUE : 0;
    return size - offset - received;
  }

  /** Size of the file this upload replaces, as it was when the upload began; 0 if there was none. */
  public long replacing() {
    return oldSize;
  }

  /**
   * Reserves room up front for {@code bytes} to arrive in an upload of unknown size (FTP's ALLO), so the
   * upload is refused before any byte moves rather than cut off on the way; bytes past them are still
   * checked as they arrive. Call after {@link #accept}, which may renew the reservation.
   *
   * @throws Refused QUOTA_EXCEEDED, nothing reserved
   */
  public void allocate(long bytes) throws Refused {
    if (size != UNKNOWN_SIZE || bytes <= allowance) return;
    quotas.grow(user, reservation, bytes - allowance);
    allowance = bytes;
  }

  /**
   * Reserves room for a copy of the file this upload replaces, the start of an append (FTP's APPE onto a
   * file): the copy is held like received bytes until the end settles it, and the replaced file's credit
   * covers it. Loop only; {@link #copyTargetBlocking} makes the copy.
   *
   * @throws Refused QUOTA_EXCEEDED (only a user already over the quota), or BAD_REQUEST if the partial holds bytes
   */
  public void holdForCopy() throws Refused {
    if (kept != 0 || counted != 0) throw new Refused(Refusal.BAD_REQUEST, "an interrupted upload is held");
    quotas.grow(user, reservation, oldSize);
    copying = true;
  }

  /**
   * Blocking: copies the {@link #replacing()} bytes of the file this upload replaces into the empty partial,
   * hashing them as {@link #hashKept} would, so that they become the kept bytes the upload continues from.
   *
   * @throws IOException when the file changed size meanwhile; {@link #abort} then deletes the partial
   */
  public String copyTargetBlocking() throws IOException, Refused {
    try (FileChannel reader = home.openRead(real)) {
      PartialCopy.copy(reader, channel, oldSize, digest);
    }
    kept = oldSize;
    return Sha256.peekHex(digest);
  }

  /**
   * The sender closed the stream of an upload of unknown size: the size is what arrived. Does nothing for a
   * declared size, which ends when {@link #remaining()} is 0.
   */
  public void endOfData() {
    if (size == UNKNOWN_SIZE) size = offset + received;
  }

  /** QUOTA_EXCEEDED once a slice of an upload of unknown size went over the quota, else null. */
  public Refused overQuota() {
    return overQuota;
  }

  /**
   * Writes some bytes from {@code source} to the partial, never more than {@link #remaining()}; returns
   * true while more remain. After a write failure (a full disk) it keeps consuming and dropping the
   * client's bytes so the stream stays in step, and {@link #writeFailure} reports the failure. For an upload
   * of unknown size each slice first grows the quota reservation; a slice that does not fit is dropped, as
   * is all that follows, and {@link #overQuota} reports it.
   */
  public boolean receive(ByteBuffer source) {
    int n = (int) Math.min(source.remaining(), remaining());
    if (size == UNKNOWN_SIZE && overQuota == null && writeFailure == null) growFor(n);
    if (writeFailure == null && overQuota == null) {
      Sha256.update(digest, source, n);
      ByteBuffer slice = source.duplicate();
      slice.limit(slice.position() + n);
      try {
        while (slice.hasRemaining()) channel.write(slice);
      } catch (IOException e) {
        writeFailure = e;
      }
    }
    source.position(source.position() + n);
    received += n;
    return remaining() > 0;
  }

  /** Holds room for {@code n} more bytes of an upload of unknown size, or notes that the quota is spent. */
  private void growFor(int n) {
    long more = received + n - allowance;
    if (more <= 0) return;
    try {
      quotas.grow(user, reservation, more);
      allowance += more;
    } catch (Refused e) {
      overQuota = e;
    }
  }

  /** Returns the write failure, if any, once all bytes have arrived. */
  public IOException writeFailure() {
    return writeFailure;
  }

  /** True when the bytes held hash to {@code declared}. */
  public boolean matches(String declared) {
    return finishHash().equals(declared);
  }

  /**
   * The hex SHA-256 of every byte the partial holds (kept and received), computed while they arrived; call
   * once all bytes arrived, after which it is final.
   */
  public String finishHash() {
    if (sha256 == null) sha256 = Sha256.hex(digest);
    return sha256;
  }

  /**
   * Blocking: fsyncs the partial and renames it atomically over the real name, then fsyncs the folder.
   * Returns what was published, as stat'ed before the rename (a rename keeps inode, size and time): a stat
   * of the real name afterwards could already see another session's delete or replacement.
   */
  public FileInfo commitBlocking() throws IOException, Refused {
    syncBlocking();
    return publishBlocking();
  }

  /**
   * Blocking, the first half of {@link #commitBlocking}: fsyncs and closes the partial. Until
   * {@link #publishBlocking} the upload may still end without success ({@link #abort} keeps the partial).
   */
  public void syncBlocking() throws IOException {
    channel.force(true);
    channel.close();
  }

  /** Blocking, the second half of {@link #commitBlocking}, after {@link #syncBlocking}: the atomic rename. */
  public FileInfo publishBlocking() throws IOException, Refused {
    FileInfo written = home.statReal(partial);
    FileInfo replaced = home.statReal(real); // by descriptor, like every access to a home
    replacedFile = replaced.exists() && !replaced.dir();
    replacedSize = replacedFile ? replaced.size() : 0;
    home.publishPartial(partial, real);
    publishedSize = written.size();
    return new FileInfo(real, true, false, written.size(), written.modifiedMillis(), written.fileKey());
  }

  /** After {@link #commitBlocking}: the partial became the file; settles the quota and frees the name. */
  public void committed() {
    end(new Tally(publishedSize - counted - replacedSize, replacedFile ? -1 : 0));
  }

  /** A failed verification: the partial is deleted, nothing is stored. */
  public void discard() {
    if (ended) return;
    closeChannel();
    Tally delta;
    try {
      home.deletePartial(partial);
      delta = new Tally(-counted, -1);
    } catch (Refused e) {
      log.warn("could not delete the partial of {}: {}", LogText.of(virtualPath), LogText.of(e.getMessage()));
      delta = settleAbandoned();
    }
    end(delta);
  }

  /**
   * The connection went away, or the commit failed: the partial stays resumable, trimmed to what fits the
   * quota without the replaced file's credit (deleted if nothing fits), and counts as stored; an append that
   * received nothing is deleted instead (its partial holds only a copy of the file). Safe twice.
   */
  public void abort() {
    if (ended) return;
    if (copying && received == 0) { // only a copy of the file (or part of one): nothing of the client's to keep
      discard();
      return;
    }
    Tally delta = settleAbandoned();
    closeChannel();
    end(delta);
  }

  /** Trims the partial as {@link #abort} says and returns the change to the user's totals. */
  private Tally settleAbandoned() {
    if (channel == null) return Tally.ZERO; // never opened: nothing created, nothing written
    return AbandonedPartial.settle(home, partial, channel, quotas.roomWithoutCredit(user, counted, reservation),
        counted, Math.max(kept, offset + received), virtualPath);
  }

  private void end(Tally delta) {
    if (ended) return;
    ended = true;
    if (reservation != null) reservation.release(delta);
    else if (!delta.equals(Tally.ZERO)) quotas.apply(user, delta);
    locks.unlock(lock);
  }

  private void closeChannel() {
    if (channel != null) AbandonedPartial.closeQuietly(channel);
  }

  public String user() {
    return user;
  }

  public String virtualPath() {
    return virtualPath;
  }

  public Path real() {
    return real;
  }

  public long size() {
    return size;
  }

  public long offset() {
    return offset;
  }

  public long received() {
    return received;
  }

  public String sha256() {
    return sha256;
  }

  public long quotaBefore() {
    return quotaBefore;
  }

  public double seconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
