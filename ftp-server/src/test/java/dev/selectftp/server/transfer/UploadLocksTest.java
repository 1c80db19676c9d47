package dev.selectftp.server.transfer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The locks of names being written and changed: no upload begins at or under a path a delete or rename in
 * flight holds, until every such change has ended; other names stay free meanwhile.
 */
class UploadLocksTest {
  private final Path root = Path.of("/srv/data/home/bob");
  private final Path dir = root.resolve("dir");

  private static Path partialOf(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".selectftp-part");
  }

  @Test
  void aNameAtOrUnderAFolderBeingChangedIsRefusedUntilEveryChangeOfItEnded() {
    UploadLocks locks = new UploadLocks();
    Path deep = dir.resolve("sub/x.bin");
    locks.holdForChange(dir);
    locks.holdForChange(dir); // a delete and a rename of the same folder at once
    assertNull(locks.tryLock(deep, partialOf(deep)), "under the folder");
    assertNull(locks.tryLock(dir, partialOf(dir)), "the folder itself");
    UploadLocks.Lock other = locks.tryLock(root.resolve("other.bin"), partialOf(root.resolve("other.bin")));
    assertNotNull(other, "a name outside the folder is free meanwhile");
    locks.unlock(other);

    locks.releaseChange(dir);
    assertNull(locks.tryLock(deep, partialOf(deep)), "the second change still holds the folder");
    locks.releaseChange(dir);
    assertNotNull(locks.tryLock(deep, partialOf(deep)), "free once both changes ended");
  }

  @Test
  void aReleaseWithoutAHoldChangesNothing() {
    UploadLocks locks = new UploadLocks();
    locks.releaseChange(dir);
    assertNotNull(locks.tryLock(dir.resolve("x.bin"), partialOf(dir.resolve("x.bin"))));
  }
}
