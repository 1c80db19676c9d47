package dev.selectftp.server.storage.s3;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The node-local side of homes on S3: the spool folder ({@code DATA/spool}) where download windows are
 * fetched ({@link ObjectReadChannel}) and upload parts wait for their send, the helper threads that send the
 * parts and those that fetch the windows (apart, so a slow download never holds up an upload's parts or the
 * other way round). The event loop only ever touches spool files, never the network. Files left by an earlier run are deleted when it opens: nothing
 * in it outlives the process that wrote it (a part not sent is re-sent by the client on resume).
 */
final class Spool implements Closeable {
  /** The spool's folder under the data folder. */
  static final String DIR = "spool";
  /** Threads sending parts; each upload sends its own parts one at a time, in order. */
  static final int SENDERS = 4;
  /** Threads fetching download windows; each download fetches one window at a time, in turn with the others. */
  static final int FETCHERS = 4;
  private static final long STOP_WAIT_SECONDS = 30;

  private final Path dir;
  private final ExecutorService helpers;
  private final ExecutorService fetchers;
  /** Steps handed out and not done yet: each starts only after its upload's previous one. */
  private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

  private Spool(Path dir) {
    this.dir = dir;
    AtomicInteger n = new AtomicInteger();
    this.helpers = Executors.newFixedThreadPool(SENDERS, r -> daemon(r, "s3-parts-" + n.incrementAndGet()));
    AtomicInteger m = new AtomicInteger();
    this.fetchers = Executors.newFixedThreadPool(FETCHERS, r -> daemon(r, "s3-reads-" + m.incrementAndGet()));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
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

  /** Runs one window's fetch on a fetcher thread; stopped (interrupted) by {@link #close}. */
  void fetch(Runnable window) {
    fetchers.execute(window);
  }

  /**
   * Waits for the parts handed out (a part already complete in the spool is sent, so a resume elsewhere
   * finds it), then stops the senders; stops the fetchers at once (a download cut short by a shutdown is
   * resumed by its client).
   */
  @Override
  public void close() {
    fetchers.shutdownNow();
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
