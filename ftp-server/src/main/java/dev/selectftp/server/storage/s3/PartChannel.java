package dev.selectftp.server.storage.s3;

import dev.selectftp.server.storage.Backlog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The write channel of a partial on S3: appends go to a node-local spool file of at most one part
 * ({@link ObjectUpload#PART_SIZE}); each time it fills, it is handed to the helper threads, which hash the
 * parts in order ({@link PartialUpload#prepare}) and send them as UploadParts side by side
 * ({@link PartialUpload#send}, which also saves the SHA-256 midstate of the stored run; {@link PartSends}
 * orders that work), and a new spool file takes the following bytes. So a write is a local file write and
 * never waits on the network, parts go out while the upload continues, and the node's disk holds only the
 * parts not sent yet. A store slower than the client cannot let them pile up: the channel is
 * {@link #congested} while {@link UnsentParts#MAX_UNSENT_PARTS} parts are queued or in flight, and the upload
 * stops reading its sender until one is stored, so the spool holds at most that many parts and the one being
 * filled, and the commit waits for no more.
 *
 * <p><b>Append only.</b> {@link #write} appends at {@link #position()}; a positional write or a position must
 * be exactly there, and {@link #truncate} can cut back only to a part boundary whose midstate is known (in
 * this session), else to nothing.
 *
 * <p><b>{@link #size()} is what the partial keeps if the upload stops now</b>: whole parts only (sent or
 * queued). The bytes past the last part boundary live in the spool alone and are dropped when the channel is
 * closed without {@link #force}: a resumed upload continues at a part boundary (the client is told so and
 * re-sends the tail). So the quota counts exactly what stays. {@link #position()} is how much was written.
 *
 * <p><b>Threads.</b> Written on the event loop; {@link #force} (the commit's sync) and the part sends run on
 * helper threads; every method is synchronized on the channel. A failed part send fails the next write and
 * the sync with its IOException; parts stored before it stay resumable.
 */
final class PartChannel extends FileChannel implements Backlog {
  private final PartialUpload upload;
  private final Spool spool;
  /** Told once the channel was closed without a sync and its sends are done. */
  private final Runnable dropped;
  /** Bytes in whole parts: stored before this session plus those sent or queued since. */
  private long kept;
  private Path tailFile;
  private FileChannel tail;
  private long tailSize;
  private final PartSends sends;
  private boolean forced;

  PartChannel(PartialUpload upload, Spool spool, Runnable dropped) throws IOException {
    this.upload = upload;
    this.spool = spool;
    this.dropped = dropped;
    this.kept = upload.stored();
    this.sends = new PartSends(upload, spool);
    newTail();
  }

  private void newTail() throws IOException {
    tailFile = Files.createTempFile(spool.dir(), "part-", ".spool");
    tail = FileChannel.open(tailFile, StandardOpenOption.WRITE, StandardOpenOption.READ);
    tailSize = 0;
  }

  /** The S3 side; for the commit and the store's bookkeeping. */
  PartialUpload upload() {
    return upload;
  }

  @Override
  public synchronized int write(ByteBuffer src) throws IOException {
    sends.throwFailure();
    int total = 0;
    while (src.hasRemaining()) {
      int n = (int) Math.min(src.remaining(), ObjectUpload.PART_SIZE - tailSize);
      ByteBuffer slice = src.slice(src.position(), n);
      while (slice.hasRemaining()) tail.write(slice);
      src.position(src.position() + n);
      tailSize += n;
      total += n;
      if (tailSize == ObjectUpload.PART_SIZE) shipTail();
    }
    return total;
  }

  /** Hands the full spool file to the helpers (hashed in order, then sent) and starts a new one. */
  private void shipTail() throws IOException {
    tail.close();
    Path full = tailFile;
    kept += ObjectUpload.PART_SIZE;
    newTail();
    sends.ship(full);
  }

  /** Loop: see {@link Backlog}; never after a failed send, which the next write reports instead. */
  @Override
  public boolean congested(Runnable drained) {
    return sends.congested(drained);
  }

  /** Blocking: waits until every part handed out so far was hashed and sent (or failed). */
  void awaitSent() {
    sends.await();
  }

  @Override
  public synchronized int write(ByteBuffer src, long position) throws IOException {
    if (position != position()) throw new IOException("a partial on S3 takes appends only");
    return write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) total += write(srcs[i]);
    return total;
  }

  @Override
  public synchronized long position() {
    return kept + tailSize;
  }

  @Override
  public synchronized FileChannel position(long newPosition) throws IOException {
    if (newPosition == 0) return truncate(0);
    if (newPosition != position()) throw new IOException("a partial on S3 takes appends only");
    return this;
  }

  /** What the partial keeps if the upload stops now: whole parts (see the class comment). */
  @Override
  public synchronized long size() {
    return kept;
  }

  /** Everything written, the tail included: what the commit publishes. */
  synchronized long written() {
    return position();
  }

  /**
   * Cuts the partial back to {@code size}, rounded down to a part boundary; to nothing when that boundary's
   * midstate is unknown here (it lies before this session's resume point). Parts already stored past the
   * cut stay in the upload until overwritten, but the saved state and the commit name only the kept ones.
   */
  @Override
  public synchronized FileChannel truncate(long size) throws IOException {
    if (size >= position()) return this;
    tail.truncate(0);
    tail.position(0);
    tailSize = 0;
    int parts = (int) (Math.min(size, kept) / ObjectUpload.PART_SIZE);
    if (!upload.canCutTo(parts)) parts = 0;
    if ((long) parts * ObjectUpload.PART_SIZE < kept) {
      kept = (long) parts * ObjectUpload.PART_SIZE;
      int count = parts;
      sends.afterAll(() -> upload.cutTo(count));
    }
    return this;
  }

  /**
   * Blocking (the commit's sync): waits until every whole part is stored, then syncs the tail's spool file,
   * which the commit sends as the last part ({@link #commit}).
   *
   * @throws IOException the first failed part send
   */
  @Override
  public void force(boolean metaData) throws IOException {
    awaitSent();
    synchronized (this) {
      sends.throwFailure();
      tail.force(metaData);
      forced = true;
    }
  }

  /** True once {@link #force} succeeded: the commit may publish what was written. */
  synchronized boolean forced() {
    return forced;
  }

  /**
   * Blocking, after {@link #force}: publishes the object atomically ({@link PartialUpload#complete}) and drops
   * the spool.
   *
   * @return the hex SHA-256 of the object
   */
  String commit() throws IOException {
    awaitSent();
    synchronized (this) {
      sends.throwFailure();
      String sha256 = upload.complete(tailFile, tailSize);
      Files.deleteIfExists(tailFile);
      return sha256;
    }
  }

  /** Blocking: stops sending (waits for a part in flight) and drops the upload with every part and the spool. */
  void discard() throws IOException {
    synchronized (this) {
      sends.fail(new IOException("the partial was deleted"));
    }
    awaitSent();
    upload.abort();
    close();
    Files.deleteIfExists(tailFile);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    synchronized (this) {
      tail.close();
      // A forced tail waits for its commit; any other is dropped, as a resume starts at a part boundary.
      if (!forced) {
        Files.deleteIfExists(tailFile);
        sends.all().whenComplete((ok, failed) -> dropped.run());
      }
    }
  }

  @Override
  public int read(ByteBuffer dst) {
    throw new NonReadableChannelException();
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) {
    throw new NonReadableChannelException();
  }

  @Override
  public int read(ByteBuffer dst, long position) {
    throw new NonReadableChannelException();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) {
    throw new NonReadableChannelException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new UnsupportedOperationException("a partial on S3 takes writes of buffers only");
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException("a partial on S3 cannot be mapped");
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) {
    throw new UnsupportedOperationException("a partial on S3 is locked by the upload locks, not the file system");
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) {
    return lock(position, size, shared);
  }
}
