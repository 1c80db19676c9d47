package dev.selectftp.server.transfer;

import dev.selectftp.server.storage.PartialGuard;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What is being written right now, so two writers never share a file: every upload holds both its target's
 * real path and its partial's, taken together or not at all, so two targets that share anything (a name or
 * a partial) cannot both be uploaded; the stale-partial clean-up holds a partial while it deletes it.
 *
 * <p>Thread-safe: uploads lock on the loop while the clean-up runs on a helper thread. Every method holds
 * the monitor for a few set operations only (one walk of the held paths for {@link #isLockedAtOrUnder},
 * which are as many as the uploads in flight), so the loop never waits for long.
 *
 * <p>A delete or rename runs off the loop ({@code core.FileOperations}); while it does, it holds its paths
 * ({@link #holdForChange}) so that no upload begins at or under them between its check and its change.
 */
public final class UploadLocks implements PartialGuard {
  private final Set<Path> held = new HashSet<>();
  /** The same names across nodes ({@link SharedLocks#LOCAL} on one node). */
  private final SharedLocks shared;
  /** Paths a delete or rename in flight changes, with how many such changes hold each. */
  private final Map<Path, Integer> changing = new HashMap<>();

  /** Locks for one node alone. */
  public UploadLocks() {
    this(SharedLocks.LOCAL);
  }

  /** @param shared the locks other nodes see, taken by an upload after this node's own ({@code UploadStart}) */
  public UploadLocks(SharedLocks shared) {
    this.shared = shared;
  }

  /** The locks across nodes; thread-safe on their own. */
  public SharedLocks shared() {
    return shared;
  }

  /** One upload's hold on its target and partial; {@link #unlock} ends it. */
  public record Lock(Path target, Path partial) {}

  /**
   * Takes the target and its partial together.
   *
   * @return the lock, or null when either is held (by another upload or the clean-up), or a delete or rename
   *     in flight changes the target or a folder holding it
   */
  public synchronized Lock tryLock(Path target, Path partial) {
    if (held.contains(target) || held.contains(partial) || changingAtOrAbove(target)) return null;
    held.add(target);
    held.add(partial);
    return new Lock(target, partial);
  }

  /** Ends an upload's hold; its owner calls it once. */
  public synchronized void unlock(Lock lock) {
    held.remove(lock.target());
    held.remove(lock.partial());
  }

  @Override
  public synchronized boolean tryHold(Path partial) {
    return held.add(partial);
  }

  @Override
  public synchronized void release(Path partial) {
    held.remove(partial);
  }

  /** True when {@code realPath} itself, or anything inside it if it is a folder, is being written. */
  public synchronized boolean isLockedAtOrUnder(Path realPath) {
    if (held.contains(realPath)) return true;
    for (Path p : held) {
      if (p.startsWith(realPath)) return true;
    }
    return false;
  }

  /** Holds {@code realPath} while a delete or rename of it runs off the loop; {@link #releaseChange} ends it. */
  public synchronized void holdForChange(Path realPath) {
    changing.merge(realPath, 1, Integer::sum);
  }

  /** Ends one {@link #holdForChange} of {@code realPath}. */
  public synchronized void releaseChange(Path realPath) {
    changing.computeIfPresent(realPath, (p, n) -> n == 1 ? null : n - 1);
  }

  private boolean changingAtOrAbove(Path target) {
    if (changing.isEmpty()) return false;
    for (Path p = target; p != null; p = p.getParent()) {
      if (changing.containsKey(p)) return true;
    }
    return false;
  }
}
