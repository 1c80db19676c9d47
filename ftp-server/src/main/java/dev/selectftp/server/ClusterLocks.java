package dev.selectftp.server;

import dev.selectftp.common.LogText;
import dev.selectftp.server.accounts.postgres.NodeLocks;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.Background.Result;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.transfer.SharedLocks;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedLocks} on PostgreSQL's {@code upload_locks} ({@link NodeLocks}): every statement runs on one thread
 * of its own ({@link Background}, {@code ftp-upload-locks}), in the order asked, so a name's release never overtakes its take, and neither holds a thread of
 * the store pool while the database is slow or down; answers are posted to the loop. A release that could not be
 * written is kept and retried by {@link #retryFrees} (the heartbeat's timer), so a short outage does not leave
 * the name refused on every other node until this one restarts.
 */
final class ClusterLocks implements SharedLocks, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterLocks.class);
  private static final long CLOSE_MILLIS = 10_000;
  /** Releases answer nobody: a failure is kept and retried. */
  private static final Result<Object> NO_ANSWER = (value, failure) -> { };
  /**
   * After a take found the database unreachable, takes queued behind it are refused at once for this long instead
   * of each waiting the pool's 3 s in turn (six uploads would otherwise wait 3 to 18 s for the same answer).
   */
  private static final long FAIL_FAST_MILLIS = 1_000;

  private final NodeLocks rows;
  /** One thread: statements run in the order asked, and their answers are posted to the loop. */
  private final Background statements;
  /** (user, path) of releases not written yet; touched on the statements thread only. */
  private final Set<List<String>> unfreed = ConcurrentHashMap.newKeySet();
  /** When a take last failed ({@code System.nanoTime}); the statements thread only. */
  private long failedAt;
  private boolean failed;

  /** How long after a heartbeat was asked this node's locks are surely its own (see {@link #stillHeld}). */
  private final long leaseNanos;
  /** When the last heartbeat written was asked ({@code System.nanoTime}). */
  private long beatAsked;
  /** Whether a heartbeat ever came after a lapse longer than the lease, and when it was written. */
  private boolean lapsed;
  private long lapseEnded;

  /**
   * @param results where answers run: the event loop's {@code post}
   * @param leaseMillis how long the locks are surely this node's after a heartbeat was asked: less than the time
   *     after which the others take it for dead, by the time a publish may take
   * @param beatAsked when the heartbeat written at start was asked ({@code System.nanoTime})
   */
  ClusterLocks(NodeLocks rows, Executor results, long leaseMillis, long beatAsked) {
    this.rows = rows;
    this.statements = new Background("ftp-upload-locks", 1, results);
    this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis);
    this.beatAsked = beatAsked;
  }

  /** A heartbeat asked at {@code asked} was written; after a lapse past the lease, older locks may be gone. */
  synchronized void beatWritten(long asked) {
    if (asked - beatAsked >= leaseNanos) {
      lapsed = true;
      lapseEnded = System.nanoTime();
    }
    beatAsked = asked;
  }

  @Override
  public synchronized boolean stillHeld(long takenNanos) {
    if (System.nanoTime() - beatAsked >= leaseNanos) return false; // silent now: the others may reap at any time
    return !lapsed || lapseEnded - takenNanos < 0; // a lapse since the take: the others may have reaped it
  }

  @Override
  public void take(String user, String path, Result<Boolean> done) {
    statements.run(() -> {
      unfreed.remove(List.of(user, path)); // taken again: a late retry must not free the new upload's lock
      if (failed && System.nanoTime() - failedAt < TimeUnit.MILLISECONDS.toNanos(FAIL_FAST_MILLIS)) {
        throw new IOException("the accounts database was unreachable less than " + FAIL_FAST_MILLIS + " ms ago");
      }
      try {
        boolean taken = rows.take(user, path);
        failed = false;
        return taken;
      } catch (IOException e) {
        failed = true;
        failedAt = System.nanoTime();
        throw e;
      }
    }, (taken, failure) -> done.accept(taken, failure instanceof IOException e ? unavailable(e) : failure));
  }

  /** The client's answer when the table cannot be reached; the detail goes to the log only. */
  private static Refused unavailable(IOException e) {
    log.warn("upload locks: an upload was refused, its lock could not be taken: {}", LogText.of(e.getMessage()));
    return new Refused(Refusal.INTERNAL, "the accounts database is unavailable; nothing was stored, try again later");
  }

  @Override
  public void free(String user, String path) {
    statements.run(() -> freeNow(user, path), NO_ANSWER);
  }

  private boolean freeNow(String user, String path) {
    try {
      rows.free(user, path);
      return unfreed.remove(List.of(user, path));
    } catch (IOException | RuntimeException e) {
      if (unfreed.add(List.of(user, path))) {
        log.warn("upload locks: the lock of {} on {} was not given back yet, retried: {}", LogText.of(user),
            LogText.of(path), LogText.of(e.getMessage()));
      }
      return false;
    }
  }

  @Override
  public void heldElsewhere(String user, String path, Result<Boolean> done) {
    statements.run(() -> rows.heldElsewhereAtOrUnder(user, path), done);
  }

  /** Tries again the releases that could not be written (queued behind the statements asked so far). */
  void retryFrees() {
    if (unfreed.isEmpty()) return;
    statements.run(() -> {
      for (List<String> name : List.copyOf(unfreed)) freeNow(name.get(0), name.get(1));
      return null;
    }, NO_ANSWER);
  }

  /** Lets the statements asked so far finish (before the accounts' pool closes); what is left the others reap. */
  @Override
  public void close() {
    statements.close(CLOSE_MILLIS);
  }
}
