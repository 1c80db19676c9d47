package dev.selectftp.server.transfer;

import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HomeStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How an upload begins: its target checked, the target's and the partial's lock taken, quota
 * reserved (bytes, and an entry for a new partial) and the partial opened: the one an interrupted upload
 * left, kept when it fits the declared size, else emptied; or a new one. The quota checks come before
 * anything is written, so a refusal costs no file bytes. Loop-thread confined.
 */
final class UploadStart {
  private UploadStart() {}

  /**
   * What a begun upload holds.
   *
   * @param kept the bytes of an interrupted upload the partial keeps (the resume point)
   * @param quotaBefore what the user stored before, for the transfer log
   * @param startedNanos when the upload began, for the transfer log
   */
  record Started(Path real, UploadQuota quota, PartialWriter writer, UploadEnd end, long kept, long quotaBefore,
      long startedNanos) {}

  /**
   * Begins an upload as the class comment says; on a refusal, whatever was taken is let go again.
   *
   * @param declared false when the upload did not declare its size; {@code size} is then ignored
   */
  static Started begin(String user, HomeStore home, Quotas quotas, UploadLocks locks, String virtualPath, long size,
      boolean declared) throws Refused, IOException {
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
    UploadQuota quota = new UploadQuota(quotas, user, target.exists() ? target.size() : 0);
    PartialWriter writer = new PartialWriter(home, partial);
    UploadEnd end = new UploadEnd(home, partial, virtualPath, quota, writer, locks, lock);
    long startedNanos = System.nanoTime();
    try {
      long kept = openPartial(home, partial, virtualPath, size, declared, quota, writer);
      return new Started(target.real(), quota, writer, end, kept, before, startedNanos);
    } catch (Refused | IOException | RuntimeException e) {
      end.abandon(0); // as an abort before any byte arrived: what the partial holds is settled, kept resumable
      throw e;
    }
  }

  /** Opens the partial as the class comment says and returns the bytes it keeps (the resume point). */
  private static long openPartial(HomeStore home, Path partial, String virtualPath, long size, boolean declared,
      UploadQuota quota, PartialWriter writer) throws Refused, IOException {
    FileInfo held = home.statReal(partial);
    if (held.dir()) throw new Refused(Refusal.FORBIDDEN, "the upload of " + virtualPath + " is blocked");
    long existing = held.exists() ? held.size() : 0;
    long keep = !declared || existing <= size ? existing : 0;
    quota.reserve(declared ? size - keep : 0, quota.replacing() + (existing - keep));
    if (!held.exists()) quota.claimEntry();
    try {
      writer.open();
    } catch (Refused e) {
      if (!held.exists()) quota.unclaimEntry(); // nothing was created
      throw e;
    }
    quota.countHeld(existing);
    if (keep != existing) {
      writer.empty();
      quota.dropHeld();
    }
    return keep;
  }
}
