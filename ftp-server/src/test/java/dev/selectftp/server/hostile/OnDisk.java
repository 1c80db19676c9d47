package dev.selectftp.server.hostile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/** What the tests watch on the server's disk, as a local user of the machine would see it. */
final class OnDisk {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private OnDisk() {}

  /** Waits until {@code file} exists with exactly {@code size} bytes (the server writes off the test's thread). */
  static void awaitSize(Path file, long size) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long seen = -1;
    while (System.nanoTime() < deadline) {
      seen = Files.exists(file) ? Files.size(file) : -1;
      if (seen == size) return;
      Thread.sleep(5);
    }
    throw new AssertionError(file.getFileName() + " holds " + seen + " bytes after " + WAIT + ", not " + size);
  }

  /** Reproducible content of {@code size} bytes. */
  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
