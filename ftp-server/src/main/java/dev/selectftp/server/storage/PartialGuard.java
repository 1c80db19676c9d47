package dev.selectftp.server.storage;

import java.nio.file.Path;

/**
 * Lets a clean-up hold a partial the way an upload does, so it never deletes one that an upload is writing
 * (and so its count of what it freed is exact). Implementations must be thread-safe: the clean-up runs on a
 * helper thread while uploads take their locks on the loop.
 */
public interface PartialGuard {
  /** Holds the partial; false when an upload (or another clean-up) holds it. */
  boolean tryHold(Path partial);

  /** Ends a hold taken by {@link #tryHold}. */
  void release(Path partial);
}
