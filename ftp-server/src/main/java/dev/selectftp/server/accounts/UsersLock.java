package dev.selectftp.server.accounts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The users lock of one data folder, its lock file {@code users.json.lock}: every change to the users files
 * runs under it, both in-process and OS-wide, so a separate admin process and the server never lose each
 * other's changes. Not reentrant. Thread-safe.
 */
final class UsersLock {
  /** Work that may fail with an IOException, run under the lock. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws IOException;
  }

  /**
   * One JVM cannot hold two OS locks on the same file (FileChannel.lock throws instead of waiting), so
   * threads of this process first queue here, per lock file.
   */
  private static final Map<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

  private final Path dataDir;
  private final String lockName;

  /** The lock of {@code dataDir}, held on the file {@code lockName} there. */
  UsersLock(Path dataDir, String lockName) {
    this.dataDir = dataDir;
    this.lockName = lockName;
  }

  /** Runs {@code work} while holding this data folder's users lock, both in-process and OS-wide. */
  <T> T run(Work<T> work) throws IOException {
    Files.createDirectories(dataDir);
    Path lockFile = dataDir.toRealPath().resolve(lockName);
    ReentrantLock processLock = PROCESS_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
    if (processLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("users file lock is not reentrant");
    }
    processLock.lock();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      return work.run();
    } finally {
      processLock.unlock();
    }
  }
}
