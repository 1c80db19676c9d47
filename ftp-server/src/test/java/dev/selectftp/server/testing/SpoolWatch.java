package dev.selectftp.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Samples how many upload parts (or download windows) a node's spool folder ({@code DATA/spool}) holds, and
 * their bytes, every few milliseconds on a thread of its own, and keeps the most it saw: what a store slower
 * than the client (or a client slower than the store) lets pile up on the node's disk.
 */
public final class SpoolWatch implements AutoCloseable {
  private static final long EVERY_MILLIS = 5;
  private static final long EMPTIED_WITHIN_NANOS = 5_000_000_000L;
  /** The spool's name for an upload's part files (the one being filled and those waiting for their send). */
  private static final String PARTS = "part-*";
  /** The spool's name for a download's window files. */
  private static final String WINDOWS = "get-*";

  private final Path spool;
  private final String glob;
  private final Thread thread;
  private volatile boolean stop;
  private volatile int most;
  private volatile long mostBytes;
  private volatile int samples;

  private SpoolWatch(Path spool, String glob) {
    this.spool = spool;
    this.glob = glob;
    this.thread = new Thread(this::watch, "spool-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts sampling the upload parts in {@code dataDir}'s spool folder. */
  public static SpoolWatch of(Path dataDir) {
    return new SpoolWatch(dataDir.resolve("spool"), PARTS);
  }

  /** Starts sampling the download windows in {@code dataDir}'s spool folder. */
  public static SpoolWatch downloads(Path dataDir) {
    return new SpoolWatch(dataDir.resolve("spool"), WINDOWS);
  }

  private void watch() {
    while (!stop) {
      int n = 0;
      long bytes = 0;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(spool, glob)) {
        for (Path file : files) {
          n++;
          bytes += sizeOf(file);
        }
      } catch (IOException e) {
        // not there yet, or a file went while listed: the next sample counts again
      }
      most = Math.max(most, n);
      mostBytes = Math.max(mostBytes, bytes);
      samples++;
      try {
        Thread.sleep(EVERY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // deleted since it was listed
    }
  }

  /** The most bytes seen in those files at once so far. */
  public long mostBytes() {
    return mostBytes;
  }

  /** The most files seen at once so far. */
  public int most() {
    return most;
  }

  /** How many times the folder was counted: a watch that barely ran proves nothing. */
  public int samples() {
    return samples;
  }

  /**
   * Fails unless {@code dataDir}'s spool folder is empty within a few seconds: what a download or upload
   * that ended (a helper thread may still be deleting its last file) must leave.
   */
  public static void assertEmptied(Path dataDir) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + EMPTIED_WITHIN_NANOS;
    long left;
    do {
      try (Stream<Path> files = Files.list(dataDir.resolve("spool"))) {
        left = files.count();
      }
      if (left > 0) Thread.sleep(EVERY_MILLIS);
    } while (left > 0 && System.nanoTime() < deadline);
    assertEquals(0, left, "the spool is empty once the transfer ended");
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(1_000);
  }
}
