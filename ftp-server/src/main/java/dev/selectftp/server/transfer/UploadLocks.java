package dev.selectftp.server.transfer;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Names being uploaded right now, so two sessions never write one partial file. Loop-thread confined. */
public final class UploadLocks {
  private final Set<Path> held = new HashSet<>();

  /** Takes the lock on {@code realPath}; false when another session holds it. */
  public boolean tryLock(Path realPath) {
    return held.add(realPath);
  }

  public void unlock(Path realPath) {
    held.remove(realPath);
  }

  /** True when {@code realPath} itself, or any name inside it if it is a folder, is being uploaded. */
  public boolean isLockedAtOrUnder(Path realPath) {
    if (held.contains(realPath)) return true;
    for (Path p : held) {
      if (p.startsWith(realPath)) return true;
    }
    return false;
  }
}
