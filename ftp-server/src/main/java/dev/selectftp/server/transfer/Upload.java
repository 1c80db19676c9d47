package dev.selectftp.server.transfer;

import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.quota.Quotas;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One upload into a hidden partial file: it holds the target's and the partial's lock and a quota
 * reservation from {@link #begin} until it is committed, discarded or aborted, and only a verified file
 * ever reaches the real name. Loop-thread confined except the methods marked blocking, which run on a
 * helper thread while the session waits. Its parts: {@link UploadStart} (checks, locks, reservation, the
 * partial opened), {@link UploadQuota} (the reservation and what the user's totals count of the partial),
 * {@link PartialWriter} (the partial's bytes and their running hash), {@link Publication} (the atomic
 * rename) and {@link UploadEnd} (the one end: published, deleted or kept resumable).
 *
 * <p><b>Quota.</b> Every end settles the difference with the disk exactly, and a new partial is counted as
 * an entry before it is created. An upload that replaces a file is admitted with the old file's size as
 * credit, so while it runs the disk may hold both (at most the quota plus the replaced file); if it ends
 * without success its partial is trimmed to what fits the quota without that credit
 * ({@link Quotas#roomWithoutCredit}), and deleted if nothing fits, so at rest stored + partial bytes never
 * exceed the quota.
 */
public final class Upload {
  /**
   * The size of an upload that did not declare one (FTP's STOR): its quota is checked as bytes arrive
   * ({@link Quotas#grow}) rather than reserved up front, and it ends at {@link #endOfData}.
   */
  public static final long UNKNOWN_SIZE = -1;

  private final String user;
  private final String virtualPath;
  private final Path real;
  /** Size, resume point, start and bytes arrived. */
  private final UploadStream stream;
  private final UploadQuota quota;
  private final PartialWriter writer;
  private final UploadEnd end;
  private final long startedNanos;
  private final long quotaBefore;
  /** Whether the name is surely still this node's across nodes (always, on one node). */
  private final BooleanSupplier lockHeld;
  /** Set by {@link #publishBlocking}. */
  private Publication published;
  /** The partial starts as a copy of the file it replaces ({@link #holdForCopy}): an append. */
  private boolean copying;

  private Upload(String user, String virtualPath, long size, UploadStart.Started started) {
    this.user = user;
    this.virtualPath = virtualPath;
    this.stream = new UploadStream(size, started.kept());
    this.real = started.real();
    this.quota = started.quota();
    this.writer = started.writer();
    this.end = started.end();
    this.quotaBefore = started.quotaBefore();
    this.startedNanos = started.startedNanos();
    this.lockHeld = started.lockHeld();
  }

  /**
   * Takes the locks, checks the target, reserves quota and opens the partial ({@link UploadStart}), its store
   * calls run by {@code store}; {@code done} gets the upload or IS_A_DIRECTORY, BAD_PATH (no room for the
   * partial's path), BUSY, QUOTA_EXCEEDED, FORBIDDEN, or a refusal as {@link HomeStore#openWrite}.
   */
  public static void begin(String user, HomeStore home, Quotas quotas, UploadLocks locks, Offload store,
      String virtualPath, long size, Background.Result<Upload> done) {
    UploadStart.begin(user, home, quotas, locks, store, virtualPath, size, size != UNKNOWN_SIZE,
        (started, failure) -> done.accept(started == null ? null : new Upload(user, virtualPath, size, started),
            failure));
  }

  /**
   * {@link #begin(String, HomeStore, Quotas, UploadLocks, Offload, String, long, Background.Result)} with the
   * store calls (and those of the upload's end) made at once on this thread: never on the loop.
   */
  public static Upload begin(String user, HomeStore home, Quotas quotas, UploadLocks locks, String virtualPath,
      long size) throws Refused, IOException {
    return new Upload(user, virtualPath, size,
        UploadStart.beginInline(user, home, quotas, locks, virtualPath, size, size != UNKNOWN_SIZE));
  }

  /** Bytes of this file the server already holds: the offer made in {@code put-ready}. */
  public long kept() {
    return stream.kept();
  }

  /** Blocking: hashes the kept bytes into the running digest and returns their hex SHA-256. */
  public String hashKept() throws IOException, Refused {
    return writer.hashHeldBlocking(stream.kept());
  }

  /**
   * Accepts the client's {@code put-data} header: resume at {@link #kept()} or start over at 0.
   *
   * @throws Refused when the offset or length disagree with the offer
   */
  public void accept(long offset, long length) throws Refused, IOException {
    stream.check(offset, length);
    if (offset == 0 && stream.kept() > 0) {
      // The client's bytes differ from ours: drop ours and hold the whole size instead.
      writer.empty();
      stream.dropKept();
      quota.renew(stream.sizeUnknown() ? 0 : stream.size());
    }
    stream.startAt(offset);
    writer.position(offset);
  }

  /**
   * Raw bytes still expected after the {@code put-data} header; {@link Long#MAX_VALUE} while the size is
   * unknown, and 0 once such an upload went over the quota (nothing more is taken: the sender is cut off).
   */
  public long remaining() {
    return stream.remaining(quota.spent() != null);
  }

  /** Size of the file this upload replaces, as it was when the upload began; 0 if there was none. */
  public long replacing() {
    return quota.replacing();
  }

  /**
   * Reserves room up front for {@code bytes} to arrive in an upload of unknown size (FTP's ALLO), so the
   * upload is refused before any byte moves rather than cut off on the way; bytes past them are still
   * checked as they arrive. Call after {@link #accept}, which may renew the reservation.
   *
   * @throws Refused QUOTA_EXCEEDED, nothing reserved
   */
  public void allocate(long bytes) throws Refused {
    if (stream.sizeUnknown()) quota.allocate(bytes);
  }

  /**
   * Before the first byte of an upload whose room grew on the loop after it began (FTP's ALLO, {@link #allocate}):
   * the ledger several nodes share grants that room, or the upload is refused before any byte moves. The ledger's
   * statement runs on its own thread; {@code done} gets null (granted), QUOTA_EXCEEDED or the failure (the ledger
   * cannot be reached) on the loop; at once without a shared ledger.
   */
  public void confirmShared(Consumer<Exception> done) {
    quota.confirmShared(done);
  }

  /**
   * Reserves room for a copy of the file this upload replaces, the start of an append (FTP's APPE onto a
   * file): the copy is held like received bytes until the end settles it, and the replaced file's credit
   * covers it. Loop only; {@link #copyTargetBlocking} makes the copy.
   *
   * @throws Refused QUOTA_EXCEEDED (only a user already over the quota), or BAD_REQUEST if the partial holds bytes
   */
  public void holdForCopy() throws Refused {
    if (stream.kept() != 0 || quota.counted() != 0) {
      throw new Refused(Refusal.BAD_REQUEST, "an interrupted upload is held");
    }
    quota.holdCopy();
    copying = true;
  }

  /**
   * Blocking: copies the {@link #replacing()} bytes of the file this upload replaces into the empty partial,
   * hashing them as {@link #hashKept} would, so that they become the kept bytes the upload continues from.
   *
   * @throws IOException when the file changed size meanwhile; {@link #abort} then deletes the partial
   */
  public String copyTargetBlocking() throws IOException, Refused {
    String sha256 = writer.copyBlocking(real, quota.replacing());
    stream.keep(quota.replacing());
    return sha256;
  }

  /**
   * The sender closed the stream of an upload of unknown size: the size is what arrived. Does nothing for a
   * declared size, which ends when {@link #remaining()} is 0.
   */
  public void endOfData() {
    stream.endOfData();
  }

  /** QUOTA_EXCEEDED once a slice of an upload of unknown size went over the quota, else null. */
  public Refused overQuota() {
    return quota.spent();
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
    if (stream.sizeUnknown() && quota.spent() == null && writer.writeFailure() == null) {
      quota.growTo(stream.received() + n);
    }
    if (quota.spent() == null) writer.write(source, n); // does nothing after a write failure
    source.position(source.position() + n);
    stream.arrived(n);
    return remaining() > 0;
  }

  /**
   * Loop, after {@link #receive}: true when the store is behind this upload (on S3, its bound of parts still
   * queued or in flight), and the door must stop reading the sender; {@code readOn} then runs once on
   * {@code loop} when the store caught up. Always false on the local disk. Back-pressure, so that neither
   * the node's spool nor the commit's wait grows with the file.
   */
  public boolean congested(Executor loop, Runnable readOn) {
    return writer.congested(() -> loop.execute(readOn));
  }

  /** Returns the write failure, if any, once all bytes have arrived. */
  public IOException writeFailure() {
    return writer.writeFailure();
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
    return writer.finishHash();
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
    writer.syncBlocking();
  }

  /** Blocking, the second half of {@link #commitBlocking}, after {@link #syncBlocking}: the atomic rename. */
  public FileInfo publishBlocking() throws IOException, Refused {
    if (!lockHeld.getAsBoolean()) { // this node was silent long enough for another to take the name meanwhile
      throw new Refused(Refusal.BUSY, virtualPath + " may have been taken by another server while this one was cut"
          + " off from the accounts database; nothing was stored, send it again");
    }
    quota.confirmSharedBlocking(); // across nodes, the shared ledger has the last word before anything shows
    published = writer.publishBlocking(real);
    return published.stored();
  }

  /** After {@link #commitBlocking}: the partial became the file; settles the quota and frees the name. */
  public void committed() {
    end.committed(published);
  }

  /** A failed verification: the partial is deleted, nothing is stored. */
  public void discard() {
    end.discard(stream.mostHeld());
  }

  /**
   * The connection went away, or the commit failed: the partial stays resumable, trimmed to what fits the
   * quota without the replaced file's credit (deleted if nothing fits), and counts as stored; an append that
   * received nothing is deleted instead (its partial holds only a copy of the file). Safe twice.
   */
  public void abort() {
    // Only a copy of the file (or part of one) with nothing of the client's: nothing to keep.
    if (copying && stream.received() == 0) {
      end.discard(stream.mostHeld());
    } else {
      end.abandon(stream.mostHeld());
    }
  }

  /** Runs {@code then} on the loop once this upload's end is settled ({@link UploadEnd#whenSettled}). */
  public void whenSettled(Runnable then) {
    end.whenSettled(then);
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
    return stream.size();
  }

  public long offset() {
    return stream.offset();
  }

  public long received() {
    return stream.received();
  }

  public String sha256() {
    return writer.sha256();
  }

  public long quotaBefore() {
    return quotaBefore;
  }

  public double seconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
