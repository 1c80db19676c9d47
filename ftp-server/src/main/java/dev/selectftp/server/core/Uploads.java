package dev.selectftp.server.core;

import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.storage.VirtualPath;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.transfer.Upload;
import dev.selectftp.server.transfer.UploadLocks;
import java.io.IOException;

/**
 * The upload rules for every door: begin (lock, quota, partial), receive (through {@link Upload#receive}),
 * verify against an optional declared SHA-256, commit off the loop, settle on the loop. The server hashes
 * every upload while it arrives, declared checksum or not, and remembers the hash of what it published.
 *
 * <p>Asynchronous steps come in two halves: the work to run off the loop ({@link Upload#hashKept},
 * {@link Upload#commitBlocking}) and the result to apply on the loop ({@link #committed}); the door runs
 * the first on a helper thread with the session's input paused, and calls the second with its result.
 */
public final class Uploads {
  private final Quotas quotas;
  private final UploadLocks locks;
  private final HashCache hashes;

  public Uploads(Quotas quotas, UploadLocks locks, HashCache hashes) {
    this.quotas = quotas;
    this.locks = locks;
    this.hashes = hashes;
  }

  /** What verification found. */
  public sealed interface Verdict {
    /** The SHA-256 of the bytes received, hex. */
    String sha256();

    /** The bytes hash to the SHA-256 the client declared. */
    record Verified(String sha256) implements Verdict {}

    /** No checksum was declared (FTP's STOR): the file is stored as received, with the hash computed here. */
    record StoredAsReceived(String sha256) implements Verdict {}
  }

  /**
   * Begins an upload of {@code size} bytes to {@code path}, resuming a partial the server holds when there
   * is one (see {@link Upload#kept}). A declared size is reserved against the quota up front (the SelectFTP
   * door, FTP's ALLO); with {@link Upload#UNKNOWN_SIZE} (FTP's STOR) the quota is checked as bytes arrive,
   * {@link Upload#overQuota} says when a slice did not fit, and {@link Upload#endOfData} fixes the size.
   *
   * @throws Refused BAD_PATH, IS_A_DIRECTORY, BUSY, QUOTA_EXCEEDED, FORBIDDEN, or as {@link HomeStore#openWrite}
   */
  public Upload begin(String user, HomeStore home, String cwd, String path, long size) throws Refused, IOException {
    return Upload.begin(user, home, quotas, locks, VirtualPath.resolve(cwd, path), size);
  }

  /**
   * Once every byte arrived: checks the hash of the bytes held against {@code declaredSha256}, or, with
   * none declared, accepts them as received. A mismatch discards the partial (nothing is stored).
   *
   * @throws Refused CHECKSUM_MISMATCH
   */
  public Verdict verify(Upload upload, String declaredSha256) throws Refused {
    if (declaredSha256 == null) {
      return new Verdict.StoredAsReceived(upload.finishHash());
    }
    if (upload.matches(declaredSha256)) return new Verdict.Verified(upload.sha256());
    upload.discard();
    throw new Refused(Refusal.CHECKSUM_MISMATCH, "the bytes received hash to " + upload.sha256()
        + ", not the declared " + declaredSha256 + "; nothing was stored");
  }

  /** On the loop, after {@link Upload#commitBlocking} returned {@code stored}: settles quota, frees the name. */
  public void committed(Upload upload, FileInfo stored) {
    upload.committed();
    hashes.put(stored, upload.sha256());
  }

  /** What the user stores now, for the transfer log; -1 if the user is not counted. */
  public long usedNow(String user) {
    return quotas.find(user).map(Quotas.Usage::used).orElse(-1L);
  }
}
