package dev.selectftp.server.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples how many upload parts a node's spool folder ({@code DATA/spool}) holds, every few milliseconds on
 * a thread of its own, and keeps the most it saw: what a store slower than the client lets pile up on the
 * node's disk.
 */
public final class SpoolWatch implements AutoCloseable {
  private static final long EVERY_MILLIS = 5;
  /** The spool's name for an upload's part files (the one being filled and those waiting for their send). */
  private static final String PARTS = "part-*";

  private final Path spool;
  private final Thread thread;
  private volatile boolean stop;
  private volatile int most;
  private volatile int samples;

  private SpoolWatch(Path spool) {
    this.spool = spool;
    this.thread = new Thread(this::watch, "spool-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts sampling {@code dataDir}'s spool folder. */
  public static SpoolWatch of(Path dataDir) {
    return new SpoolWatch(dataDir.resolve("spool"));
  }

  private void watch() {
    while (!stop) {
      int n = 0;
      try (DirectoryStream<Path> parts = Files.newDirectoryStream(spool, PARTS)) {
        for (Path ignored : parts) n++;
      } catch (IOException e) {
        // not there yet, or a file went while listed: the next sample counts again
      }
      most = Math.max(most, n);
      samples++;
      try {
        Thread.sleep(EVERY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The most part files seen at once so far. */
  public int most() {
    return most;
  }

  /** How many times the folder was counted: a watch that barely ran proves nothing. */
  public int samples() {
    return samples;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(1_000);
  }
}
