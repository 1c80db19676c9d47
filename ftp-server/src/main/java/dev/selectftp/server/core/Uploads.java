package dev.selectftp.server.core;

import dev.selectftp.server.loop.Background.Result;
import dev.selectftp.server.loop.Offload;
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
import java.nio.file.Path;

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
  private final Offload store;

  /** @param store where store calls run: the server's store pool, or {@link Offload#INLINE} off the loop */
  public Uploads(Quotas quotas, UploadLocks locks, HashCache hashes, Offload store) {
    this.quotas = quotas;
    this.locks = locks;
    this.hashes = hashes;
    this.store = store;
  }

  /** For callers off the loop (tests, tools): every store call runs at once on the caller's thread. */
  public Uploads(Quotas quotas, UploadLocks locks, HashCache hashes) {
    this(quotas, locks, hashes, Offload.INLINE);
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
   * Off the loop only (tests, tools; the doors use the asynchronous form below): begins an upload of {@code size}
   * bytes to {@code path}, resuming a partial the server holds when there
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
   * {@link #begin(String, HomeStore, String, String, long)} for the loop: the store calls run on the store
   * pool and {@code done} gets the upload or the refusal on the loop (a malformed path at once).
   */
  public void begin(String user, HomeStore home, String cwd, String path, long size, Result<Upload> done) {
    String virtualPath;
    try {
      virtualPath = VirtualPath.resolve(cwd, path);
    } catch (Refused refused) {
      done.accept(null, refused);
      return;
    }
    Upload.begin(user, home, quotas, locks, store, virtualPath, size, done);
  }

  /**
   * After {@link Upload#allocate} (FTP's ALLO) and before the first byte: the room is granted by the ledger several
   * nodes share, on the ledger's own thread (never the store pool); {@code done} gets the upload, or
   * QUOTA_EXCEEDED, on the loop.
   */
  public void confirmShared(Upload upload, Result<Upload> done) {
    upload.confirmShared(failure -> done.accept(failure == null ? upload : null, failure));
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

  /**
   * Where an upload of unknown size (FTP's STOR and APPE) starts, by the one rule that lets a cut upload be
   * continued without ever showing it under its real name: the bytes held for a name are its interrupted
   * partial's when it has one (what {@link #resumableSize} reports), else the file's.
   */
  public sealed interface Resume {
    /** The offset the client's bytes start at. */
    long offset();

    /** From byte 0: a fresh partial, or a held one dropped. */
    record FromStart() implements Resume {
      @Override
      public long offset() {
        return 0;
      }
    }

    /** After the {@code offset} bytes the interrupted partial holds; they are hashed off the loop first. */
    record FromPartial(long offset) implements Resume {}

    /** After the whole existing file, copied into the partial off the loop first (an append). */
    record FromFile(long offset) implements Resume {}

    /** The client's offset is not what the server holds; nothing was changed. */
    record Mismatch(long offset, long held, String why) implements Resume {}
  }

  /**
   * The start of an upload whose client said where its bytes begin (FTP's REST n + STOR): 0 starts over;
   * the length of the interrupted partial continues it; with no partial, the length of the file continues
   * the file (an append, as {@link #append}); any other offset is a {@link Resume.Mismatch}, which leaves
   * everything as it was (no gap is ever filled, no byte dropped). Reserves room for a copy of the file.
   *
   * @throws Refused QUOTA_EXCEEDED (copying the file does not fit)
   */
  public Resume restartAt(Upload upload, long offset) throws Refused {
    if (offset == 0) return new Resume.FromStart();
    if (upload.kept() > 0) {
      if (offset == upload.kept()) return new Resume.FromPartial(offset);
      return new Resume.Mismatch(offset, upload.kept(), "the interrupted upload of " + upload.virtualPath()
          + " holds " + upload.kept() + " bytes, not " + offset + "; resume at " + upload.kept() + " or 0");
    }
    if (upload.replacing() > 0 && offset == upload.replacing()) return fromFile(upload);
    long held = upload.replacing();
    return new Resume.Mismatch(offset, held, upload.virtualPath() + " holds " + held + " bytes, not " + offset
        + "; resume at " + (held > 0 ? held + " or 0" : "0"));
  }

  /**
   * The start of an append (FTP's APPE, RFC 959): continues the interrupted partial when there is one, else
   * the file when there is one (its bytes are copied into the partial, so the file changes only at the
   * atomic commit), else starts a new file. Reserves room for a copy of the file.
   *
   * @throws Refused QUOTA_EXCEEDED (copying the file does not fit)
   */
  public Resume append(Upload upload) throws Refused {
    if (upload.kept() > 0) return new Resume.FromPartial(upload.kept());
    if (upload.replacing() > 0) return fromFile(upload);
    return new Resume.FromStart();
  }

  private static Resume fromFile(Upload upload) throws Refused {
    upload.holdForCopy();
    return new Resume.FromFile(upload.replacing());
  }

  /** True when {@link #prepareBlocking} has work to do off the loop before {@link #start}. */
  public static boolean needsPreparing(Resume resume) {
    return resume instanceof Resume.FromPartial || resume instanceof Resume.FromFile;
  }

  /**
   * Blocking, before {@link #start}: hashes the partial's bytes ({@link Resume.FromPartial}) or copies the file
   * into the partial ({@link Resume.FromFile}), so the SHA-256 at the end covers the whole file.
   */
  public static void prepareBlocking(Upload upload, Resume resume) throws IOException, Refused {
    if (resume instanceof Resume.FromPartial) {
      upload.hashKept();
    } else if (resume instanceof Resume.FromFile) {
      upload.copyTargetBlocking();
    }
  }

  /**
   * On the loop, once prepared: the upload takes bytes from the resume's offset ({@link Upload#accept}).
   *
   * @throws IllegalArgumentException for a {@link Resume.Mismatch}, which never starts
   */
  public static void start(Upload upload, Resume resume) throws Refused, IOException {
    if (resume instanceof Resume.Mismatch) throw new IllegalArgumentException("a mismatched offset never starts");
    upload.accept(resume.offset(), Upload.UNKNOWN_SIZE);
  }

  /**
   * What FTP's SIZE answers for a file: the length of its interrupted upload when one is held and no session
   * is writing it (so a resuming client learns where to continue), else the file's length. Nothing else
   * shows a partial: listings, MDTM and downloads see only the file. Blocking (store calls; the upload locks
   * are thread-safe): helper threads only.
   *
   * @throws Refused NOT_FOUND when there is neither a file nor an interrupted upload, or as {@link HomeStore#stat}
   */
  public long resumableSize(HomeStore home, String cwd, String path) throws Refused {
    FileInfo target = home.stat(VirtualPath.resolve(cwd, path));
    if (target.exists() && target.dir()) throw new Refused(Refusal.NOT_FOUND, "not a file");
    Path partial = home.partialFor(target.real());
    if (home.partialFits(partial) && !locks.isLockedAtOrUnder(partial)) {
      FileInfo held = home.statReal(partial);
      if (held.exists() && !held.dir()) return held.size();
    }
    if (!target.exists()) throw new Refused(Refusal.NOT_FOUND, "not a file");
    return target.size();
  }

  /** {@link #resumableSize(HomeStore, String, String)} on the store pool; {@code done} gets it on the loop. */
  public void resumableSize(HomeStore home, String cwd, String path, Result<Long> done) {
    store.run(() -> resumableSize(home, cwd, path), done);
  }

  /** What the user stores now, for the transfer log; -1 if the user is not counted. */
  public long usedNow(String user) {
    return quotas.find(user).map(Quotas.Usage::used).orElse(-1L);
  }
}
