package dev.selectftp.server.transfer;

import dev.selectftp.common.LogText;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.Tally;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of one {@link Upload}, exactly once: what becomes of its partial (published, deleted, or kept
 * resumable by {@link AbandonedPartial}), the quota settled with the disk, and the name's lock freed. Every
 * method after the first end does nothing. Loop-thread confined.
 */
final class UploadEnd {
  private static final Logger log = LoggerFactory.getLogger(UploadEnd.class);
  private final HomeStore home;
  private final Path partial;
  private final String virtualPath;
  private final UploadQuota quota;
  private final PartialWriter writer;
  private final UploadLocks locks;
  private final UploadLocks.Lock lock;
  private boolean over;

  UploadEnd(HomeStore home, Path partial, String virtualPath, UploadQuota quota, PartialWriter writer,
      UploadLocks locks, UploadLocks.Lock lock) {
    this.home = home;
    this.partial = partial;
    this.virtualPath = virtualPath;
    this.quota = quota;
    this.writer = writer;
    this.locks = locks;
    this.lock = lock;
  }

  /** True once the upload ended one way or another. */
  boolean over() {
    return over;
  }

  /** The partial became the file ({@code published}): its size replaces what was counted. */
  void committed(Publication published) {
    end(published.change(quota.counted()));
  }

  /**
   * The partial is deleted; if it cannot be, it is settled as {@link #abandon} would.
   *
   * @param mostHeld the most the partial can hold, counted when it cannot be looked at
   */
  void discard(long mostHeld) {
    if (over) return;
    writer.close();
    Tally delta;
    try {
      home.deletePartial(partial);
      delta = new Tally(-quota.counted(), -1);
    } catch (Refused e) {
      log.warn("could not delete the partial of {}: {}", LogText.of(virtualPath), LogText.of(e.getMessage()));
      delta = settleAbandoned(mostHeld);
    }
    end(delta);
  }

  /**
   * The partial stays resumable, trimmed to what fits the quota without the replaced file's credit (deleted
   * if nothing fits), and counts as stored.
   *
   * @param mostHeld the most the partial can hold, counted when it cannot be looked at
   */
  void abandon(long mostHeld) {
    if (over) return;
    Tally delta = settleAbandoned(mostHeld);
    writer.close();
    end(delta);
  }

  /** Trims the partial as {@link #abandon} says and returns the change to the user's totals. */
  private Tally settleAbandoned(long mostHeld) {
    if (!writer.opened()) return Tally.ZERO; // never opened: nothing created, nothing written
    return AbandonedPartial.settle(home, partial, writer.channel(), quota.roomWithoutCredit(), quota.counted(),
        mostHeld, virtualPath);
  }

  private void end(Tally delta) {
    if (over) return;
    over = true;
    quota.settle(delta);
    locks.unlock(lock);
  }
}
