package dev.selectftp.server.transfer;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.server.files.FileInfo;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.files.Quotas;
import dev.selectftp.server.files.Quotas.Reservation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * One upload into a hidden partial file: it holds the name lock and a quota reservation from
 * {@link #begin} until it is committed, discarded or aborted, and only a verified file ever reaches the
 * real name. Loop-thread confined except the methods marked blocking, which run on a helper thread while
 * the session waits.
 */
public final class Upload {
  private final String user;
  private final Home home;
  private final String virtualPath;
  private final Path real;
  private final Path partial;
  private final long size;
  private final Quotas quotas;
  private final UploadLocks locks;
  private final MessageDigest digest = Sha256.newDigest();
  private final long startedNanos = System.nanoTime();
  private final long quotaBefore;
  private FileChannel channel;
  private Reservation reservation;
  /** Bytes the partial held when offered; they are already counted as stored. */
  private long kept;
  private long offset;
  private long received;
  private long replacedSize;
  /** Size of the file this upload replaces, credited against the quota. */
  private long oldSize;
  private String sha256;
  private IOException writeFailure;
  private boolean ended;

  private Upload(String user, Home home, String virtualPath, Path real, Path partial, long size,
      Quotas quotas, UploadLocks locks, long quotaBefore) {
    this.user = user;
    this.home = home;
    this.virtualPath = virtualPath;
    this.real = real;
    this.partial = partial;
    this.size = size;
    this.quotas = quotas;
    this.locks = locks;
    this.quotaBefore = quotaBefore;
  }

  /**
   * Checks the target, takes the name lock, reserves quota and opens the partial. The quota check comes
   * before anything is written, so a refusal costs the client no file bytes.
   */
  public static Upload begin(String user, Home home, Quotas quotas, UploadLocks locks, String virtualPath,
      long size) throws ProtocolException, IOException {
    FileInfo target = home.stat(virtualPath);
    if (target.exists() && target.dir()) {
      throw new ProtocolException(ErrorCode.IS_A_DIRECTORY, virtualPath + " is a folder");
    }
    Path partial = home.partialFor(target.real());
    if (!locks.tryLock(target.real())) {
      throw new ProtocolException(ErrorCode.BUSY, virtualPath + " is being uploaded by another session");
    }
    Upload upload = new Upload(user, home, virtualPath, target.real(), partial, size, quotas, locks,
        quotas.usage(user).used());
    try {
      FileInfo held = home.statReal(partial); // by descriptor, like every access to a home
      long existing = held.exists() && !held.dir() ? held.size() : 0;
      long keep = existing <= size ? existing : 0;
      long oldSize = target.exists() ? target.size() : 0;
      upload.oldSize = oldSize;
      upload.reservation = quotas.reserve(user, size - keep, oldSize + (existing - keep));
      upload.channel = home.openWrite(partial, false);
      if (keep != existing) {
        upload.channel.truncate(0);
        quotas.adjustStored(user, -existing);
      }
      upload.kept = keep;
      return upload;
    } catch (ProtocolException | IOException | RuntimeException e) {
      upload.abort();
      throw e;
    }
  }

  /** Bytes of this file the server already holds: the offer made in {@code put-ready}. */
  public long kept() {
    return kept;
  }

  /** Blocking: hashes the kept bytes into the running digest and returns their hex SHA-256. */
  public String hashKept() throws IOException, ProtocolException {
    // The write channel cannot read; a separate read channel goes through the same confinement checks.
    try (FileChannel reader = home.openRead(partial)) {
      Sha256.update(digest, reader, kept);
    }
    return Sha256.peekHex(digest);
  }

  /**
   * Accepts the client's {@code put-data} header: resume at {@link #kept()} or start over at 0.
   *
   * @throws ProtocolException when the offset or length disagree with the offer
   */
  public void accept(long offset, long length) throws ProtocolException, IOException {
    if (offset != kept && offset != 0) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, "offset must be " + kept + " (resume) or 0");
    }
    if (length != size - offset) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, "length must be " + (size - offset));
    }
    if (offset == 0 && kept > 0) {
      // The client's bytes differ from ours: drop ours and hold the whole size instead.
      channel.truncate(0);
      digest.reset();
      reservation.release(-kept);
      reservation = quotas.reserve(user, size, oldSize);
      kept = 0;
    }
    this.offset = offset;
    channel.position(offset);
  }

  /** Raw bytes still expected after the {@code put-data} header. */
  public long remaining() {
    return size - offset - received;
  }

  /**
   * Writes some bytes from {@code source} to the partial, never more than {@link #remaining()}; returns
   * true while more remain. After a write failure (a full disk) it keeps consuming and dropping the
   * client's bytes so the stream stays in step, and {@link #commitCheck} reports the failure.
   */
  public boolean receive(ByteBuffer source) {
    int n = (int) Math.min(source.remaining(), remaining());
    if (writeFailure == null) {
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

  /** Returns the write failure, if any, once all bytes have arrived. */
  public IOException writeFailure() {
    return writeFailure;
  }

  /** True when the bytes held hash to {@code declared}. */
  public boolean matches(String declared) {
    if (sha256 == null) sha256 = Sha256.hex(digest);
    return sha256.equals(declared);
  }

  /**
   * Blocking: fsyncs the partial and renames it atomically over the real name, then fsyncs the folder.
   * Returns what was published, as stat'ed before the rename (a rename keeps inode, size and time): a stat
   * of the real name afterwards could already see another session's delete or replacement.
   */
  public FileInfo commitBlocking() throws IOException, ProtocolException {
    channel.force(true);
    channel.close();
    FileInfo written = home.statReal(partial);
    FileInfo replaced = home.statReal(real);
    replacedSize = replaced.exists() && !replaced.dir() ? replaced.size() : 0;
    home.publishPartial(partial, real);
    return new FileInfo(real, true, false, written.size(), written.modifiedMillis(), written.fileKey());
  }

  /** After {@link #commitBlocking}: the partial became the file; settles the quota and frees the name. */
  public void committed() {
    end((size - kept) - replacedSize);
  }

  /** A failed verification: the partial is deleted, nothing is stored. */
  public void discard() {
    if (ended) return;
    closeChannel();
    try {
      home.deletePartial(partial);
    } catch (ProtocolException e) {
      org.slf4j.LoggerFactory.getLogger(Upload.class).warn("could not delete partial of {}: {}", virtualPath,
          e.toString());
    }
    end(-kept);
  }

  /** The connection went away: the partial stays resumable and counts as stored. Safe twice. */
  public void abort() {
    if (ended) return;
    closeChannel();
    end(received);
  }

  private void end(long storedDelta) {
    if (ended) return;
    ended = true;
    if (reservation != null) reservation.release(storedDelta);
    else if (storedDelta != 0) quotas.adjustStored(user, storedDelta);
    locks.unlock(real);
  }

  private void closeChannel() {
    try {
      if (channel != null) channel.close();
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(Upload.class).debug("close failed: {}", e.toString());
    }
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
