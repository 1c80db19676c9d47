package dev.selectftp.server.transfer;

import dev.selectftp.common.LogText;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.Tally;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of one {@link Upload}, exactly once: what becomes of its partial (published, deleted, or kept
 * resumable by {@link AbandonedPartial}), the quota settled with the disk, and the name's lock freed. Every
 * method after the first end does nothing. Loop-thread confined; a delete or trim of the partial is a store
 * call, made on {@code store}, and the quota and the lock are settled when it is done, so no other upload
 * takes the name while its partial is still being settled ({@link #whenSettled}).
 */
final class UploadEnd {
  private static final Logger log = LoggerFactory.getLogger(UploadEnd.class);
  private final HomeStore home;
  private final Path partial;
  private final String virtualPath;
  private final UploadQuota quota;
  private final PartialWriter writer;
  /** Frees the name, on this node and across nodes. */
  private final Runnable free;
  private final Offload store;
  private boolean over;
  /** The quota is settled and the lock freed. */
  private boolean settled;
  /** What waits for {@link #settled}. */
  private final List<Runnable> waiting = new ArrayList<>(1);

  UploadEnd(HomeStore home, Path partial, String virtualPath, UploadQuota quota, PartialWriter writer,
      Runnable free, Offload store) {
    this.home = home;
    this.partial = partial;
    this.virtualPath = virtualPath;
    this.quota = quota;
    this.writer = writer;
    this.free = free;
    this.store = store;
  }

  /** True once the upload ended one way or another. */
  boolean over() {
    return over;
  }

  /** The partial became the file ({@code published}): its size replaces what was counted. */
  void committed(Publication published) {
    if (over) return;
    over = true;
    settle(published.change(quota.counted()));
  }

  /**
   * The partial is deleted; if it cannot be, it is settled as {@link #abandon} would.
   *
   * @param mostHeld the most the partial can hold, counted when it cannot be looked at
   */
  void discard(long mostHeld) {
    if (over) return;
    over = true;
    writer.close();
    long counted = quota.counted();
    long room = quota.roomWithoutCredit();
    offload(mostHeld, counted, () -> {
      try {
        home.deletePartial(partial);
        return new Tally(-counted, -1);
      } catch (Refused e) {
        log.warn("could not delete the partial of {}: {}", LogText.of(virtualPath), LogText.of(e.getMessage()));
        return settleAbandoned(room, counted, mostHeld);
      }
    });
  }

  /**
   * The partial stays resumable, trimmed to what fits the quota without the replaced file's credit (deleted
   * if nothing fits), and counts as stored.
   *
   * @param mostHeld the most the partial can hold, counted when it cannot be looked at
   */
  void abandon(long mostHeld) {
    if (over) return;
    over = true;
    if (!writer.opened()) { // never opened: nothing created, nothing written
      settle(Tally.ZERO);
      return;
    }
    long counted = quota.counted();
    long room = quota.roomWithoutCredit();
    offload(mostHeld, counted, () -> {
      Tally delta = settleAbandoned(room, counted, mostHeld);
      writer.close();
      return delta;
    });
  }

  /**
   * Runs {@code then} on the loop once the quota is settled and the name free: at once if it is already.
   * A door answers an upload that ended without success only then, so what the client does next sees it.
   */
  void whenSettled(Runnable then) {
    if (settled) {
      then.run();
    } else {
      waiting.add(then);
    }
  }

  /** Runs a settlement of the partial on {@code store}; if it cannot run, counts the most it can hold. */
  private void offload(long mostHeld, long counted, Background.Work<Tally> work) {
    store.run(work, (delta, failure) -> settle(failure == null ? delta : new Tally(mostHeld - counted, 0)));
  }

  /** Blocking: trims the partial as {@link #abandon} says and returns the change to the user's totals. */
  private Tally settleAbandoned(long room, long counted, long mostHeld) {
    if (!writer.opened()) return Tally.ZERO; // never opened: nothing created, nothing written
    return AbandonedPartial.settle(home, partial, writer.channel(), room, counted, mostHeld, virtualPath);
  }

  private void settle(Tally delta) {
    quota.settle(delta);
    free.run();
    settled = true;
    for (Runnable r : waiting) r.run();
    waiting.clear();
  }
}
