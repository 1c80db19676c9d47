package dev.selectftp.server.transfer;

import dev.selectftp.server.loop.Background.Result;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HomeStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * How an upload begins: the target's and the partial's lock taken, the target checked, quota reserved
 * (bytes, and an entry for a new partial; across nodes, the declared bytes in the shared ledger too) and the
 * partial opened: the one an interrupted upload left, kept when it fits the declared size, else emptied; or a
 * new one. The quota checks come before anything is written, so a refusal costs no file bytes.
 *
 * <p><b>Threads.</b> Three steps on the loop (locks, quota, counts) around two store steps on {@code store}
 * (the stats; the open), because each may be a network round trip. Across nodes the shared lock (before the
 * stats) and the shared ledger's reservation (before the open) run on their own threads, never the store pool.
 * The locks are taken first, on the pure key of the target ({@link HomeStore#toReal}), so nothing another
 * session does between the steps can change what this upload holds.
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
      long startedNanos, BooleanSupplier lockHeld) {}

  /** The request, and what the first loop step found and took. */
  private record Claim(String user, HomeStore home, Quotas quotas, UploadLocks locks, Offload store,
      String virtualPath, long size, boolean declared, long before, Path real, Path partial,
      UploadLocks.Lock lock, long claimedNanos) {
    /** Whether the name is surely still this node's across nodes ({@link SharedLocks#stillHeld}). */
    boolean held() {
      return locks.shared().stillHeld(claimedNanos);
    }

    /** Lets the name go, here and across nodes. */
    void release() {
      locks.unlock(lock);
      locks.shared().free(user, virtualPath);
    }
  }

  /** What the store said of the target and of its partial (null when the target is a folder). */
  private record Probe(FileInfo target, FileInfo held) {}

  /**
   * Begins an upload as the class comment says and hands {@code done} the start or the refusal; on a
   * refusal, whatever was taken is let go again.
   *
   * @param declared false when the upload did not declare its size; {@code size} is then ignored
   */
  static void begin(String user, HomeStore home, Quotas quotas, UploadLocks locks, Offload store,
      String virtualPath, long size, boolean declared, Result<Started> done) {
    Claim claim;
    try {
      claim = claim(user, home, quotas, locks, store, virtualPath, size, declared);
    } catch (Refused refused) {
      done.accept(null, refused);
      return;
    }
    // Across nodes the name is taken in the shared table too (off the loop, the answer posted back), before
    // anything of the target or its partial is looked at; held by another node, it is refused as held here is.
    locks.shared().take(user, virtualPath, (taken, failure) -> {
      if (failure != null || !taken) {
        locks.unlock(claim.lock());
        done.accept(null, failure != null ? failure : busy(virtualPath));
      } else {
        probe(claim, done);
      }
    });
  }

  /** Off the loop: the stats of the target and of its partial; then {@link #reserve} on the loop. */
  private static void probe(Claim claim, Result<Started> done) {
    HomeStore home = claim.home();
    claim.store().run(() -> {
      FileInfo target = home.stat(claim.virtualPath());
      // A folder is refused without its partial's stat: the home's own "partial" would lie outside the home.
      return new Probe(target, target.exists() && target.dir() ? null : home.statReal(claim.partial()));
    }, (probe, failure) -> {
      if (failure != null) {
        claim.release();
        done.accept(null, failure);
      } else {
        reserve(claim, probe, done);
      }
    });
  }

  /** {@link #begin} with every store call made at once on this thread (tests, tools): never on the loop. */
  static Started beginInline(String user, HomeStore home, Quotas quotas, UploadLocks locks, String virtualPath,
      long size, boolean declared) throws Refused, IOException {
    Object[] outcome = new Object[2];
    begin(user, home, quotas, locks, Offload.INLINE, virtualPath, size, declared, (started, failure) -> {
      outcome[0] = started;
      outcome[1] = failure;
    });
    if (outcome[1] instanceof Refused refused) throw refused;
    if (outcome[1] instanceof IOException io) throw io;
    if (outcome[1] instanceof RuntimeException e) throw e;
    if (outcome[1] != null) throw new IllegalStateException((Exception) outcome[1]);
    return (Started) outcome[0];
  }

  /** On the loop: the path's form and length, then the locks. */
  private static Claim claim(String user, HomeStore home, Quotas quotas, UploadLocks locks, Offload store,
      String virtualPath, long size, boolean declared) throws Refused {
    long before = quotas.usage(user).used();
    Path real = home.toReal(virtualPath);
    Path partial = home.partialFor(real);
    if (!home.partialFits(partial)) {
      throw new Refused(Refusal.BAD_PATH, "the path " + virtualPath + " is too long for an upload");
    }
    UploadLocks.Lock lock = locks.tryLock(real, partial);
    if (lock == null) throw busy(virtualPath);
    return new Claim(user, home, quotas, locks, store, virtualPath, size, declared, before, real, partial, lock,
        System.nanoTime()); // before the shared lock is asked for: a lapse of this node after it counts
  }

  private static Refused busy(String virtualPath) {
    return new Refused(Refusal.BUSY, virtualPath + " is being uploaded by another session");
  }

  /** On the loop, after the stats: the kind of the target, then the quota; then the partial is opened. */
  private static void reserve(Claim c, Probe probe, Result<Started> done) {
    if (probe.target().exists() && probe.target().dir()) {
      c.release();
      done.accept(null, new Refused(Refusal.IS_A_DIRECTORY, c.virtualPath() + " is a folder"));
      return;
    }
    UploadQuota quota = new UploadQuota(c.quotas(), c.user(), probe.target().exists() ? probe.target().size() : 0);
    PartialWriter writer = new PartialWriter(c.home(), c.partial());
    UploadEnd end = new UploadEnd(c.home(), c.partial(), c.virtualPath(), quota, writer, c::release, c.store());
    long startedNanos = System.nanoTime();
    FileInfo held = probe.held();
    long existing = held.exists() ? held.size() : 0;
    long keep = !c.declared() || existing <= c.size() ? existing : 0;
    try {
      if (held.dir()) throw new Refused(Refusal.FORBIDDEN, "the upload of " + c.virtualPath() + " is blocked");
      quota.reserve(c.declared() ? c.size() - keep : 0, quota.replacing() + (existing - keep));
      if (!held.exists()) quota.claimEntry();
    } catch (Refused refused) {
      end.abandon(0); // as an abort before any byte arrived: nothing was opened, nothing written
      done.accept(null, refused);
      return;
    }
    // Across nodes the shared ledger grants the declared bytes (one atomic statement on the ledger's own thread,
    // the answer posted back) before the partial is opened, so a refusal there also costs no file bytes, and an
    // unreachable database holds no store-pool thread; answered at once without a ledger or a declared size.
    quota.confirmShared(refused -> {
      if (refused != null) {
        if (!held.exists()) quota.unclaimEntry(); // nothing was created
        end.abandon(0); // as an abort before any byte arrived: nothing was opened, nothing written
        done.accept(null, refused);
      } else {
        open(c, held, existing, keep, quota, writer, end, startedNanos, done);
      }
    });
  }

  /** Off the loop: the partial opened (emptied when it is not kept); then the counts on the loop. */
  private static void open(Claim c, FileInfo held, long existing, long keep, UploadQuota quota, PartialWriter writer,
      UploadEnd end, long startedNanos, Result<Started> done) {
    c.store().run(() -> {
      writer.open();
      if (keep != existing) writer.empty();
      return keep;
    }, (kept, failure) -> {
      if (writer.opened()) quota.countHeld(existing);
      if (failure != null) {
        if (!writer.opened() && !held.exists()) quota.unclaimEntry(); // nothing was created
        end.abandon(0); // what the partial holds is settled, kept resumable
        done.accept(null, failure);
        return;
      }
      if (keep != existing) quota.dropHeld();
      done.accept(new Started(c.real(), quota, writer, end, keep, c.before(), startedNanos, c::held), null);
    });
  }
}
