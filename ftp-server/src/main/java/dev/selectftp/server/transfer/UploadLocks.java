package dev.selectftp.server.transfer;

import dev.selectftp.server.storage.PartialGuard;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What is being written right now, so two writers never share a file: every upload holds both its target's
 * real path and its partial's, taken together or not at all, so two targets that share anything (a name or
 * a partial) cannot both be uploaded; the stale-partial clean-up holds a partial while it deletes it.
 *
 * <p>Thread-safe: uploads lock on the loop while the clean-up runs on a helper thread. Every method holds
 * the monitor for a few set operations only (one walk of the held paths for {@link #isLockedAtOrUnder},
 * which are as many as the uploads in flight), so the loop never waits for long.
 */
public final class UploadLocks implements PartialGuard {
  private final Set<Path> held = new HashSet<>();

  /** One upload's hold on its target and partial; {@link #unlock} ends it. */
  public record Lock(Path target, Path partial) {}

  /**
   * Takes the target and its partial together.
   *
   * @return the lock, or null when either is held (by another upload or the clean-up)
   */
  public synchronized Lock tryLock(Path target, Path partial) {
    if (held.contains(target) || held.contains(partial)) return null;
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
}
