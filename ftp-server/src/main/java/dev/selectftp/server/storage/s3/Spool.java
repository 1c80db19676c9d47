package dev.selectftp.server.storage.s3;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node-local side of homes on S3: the spool folder ({@code DATA/spool}) where downloads are fetched and
 * upload parts wait for their send, and the helper threads that send the parts. The event loop only ever
 * touches spool files, never the network. Files left by an earlier run are deleted when it opens: nothing
 * in it outlives the process that wrote it (a part not sent is re-sent by the client on resume).
 */
final class Spool implements Closeable {
  /** The spool's folder under the data folder. */
  static final String DIR = "spool";
  /** Threads sending parts; each upload sends its own parts one at a time, in order. */
  static final int SENDERS = 4;
  private static final long STOP_WAIT_SECONDS = 30;

  private final Path dir;
  private final ExecutorService helpers;
  /** Steps handed out and not done yet: each starts only after its upload's previous one. */
  private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

  private Spool(Path dir) {
    this.dir = dir;
    AtomicInteger n = new AtomicInteger();
    this.helpers = Executors.newFixedThreadPool(SENDERS, r -> {
      Thread t = new Thread(r, "s3-parts-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Creates {@code DATA/spool} if missing and empties it. */
  static Spool open(Path dataDir) throws IOException {
    Path dir = dataDir.resolve(DIR);
    Files.createDirectories(dir);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir)) {
      for (Path p : old) Files.deleteIfExists(p);
    }
    return new Spool(dir);
  }

  Path dir() {
    return dir;
  }

  /** Runs {@code step} on a helper thread after {@code previous}; {@link #close} waits for it. */
  CompletableFuture<Void> after(CompletableFuture<?> previous, Runnable step) {
    CompletableFuture<Void> next = previous.thenRunAsync(step, helpers);
    pending.add(next);
    next.whenComplete((ok, failed) -> pending.remove(next));
    return next;
  }

  /**
   * Blocking: copies {@code object} into a spool file and returns a read channel on it; the file is unlinked
   * at once, so the system frees it when the channel closes (or the process ends) and nothing is left behind.
   */
  FileChannel fetch(InputStream object) throws IOException {
    Path file = Files.createTempFile(dir, "get-", ".spool");
    try (InputStream in = object) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return FileChannel.open(file, StandardOpenOption.READ);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Waits for the parts handed out (a part already complete in the spool is sent, so a resume elsewhere
   * finds it), then stops the senders.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS);
    for (CompletableFuture<Void> step : Set.copyOf(pending)) {
      try {
        step.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        // A failed send is the upload's to report; a stuck one is cut off by the shutdown below.
      }
    }
    helpers.shutdown();
    try {
      helpers.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
