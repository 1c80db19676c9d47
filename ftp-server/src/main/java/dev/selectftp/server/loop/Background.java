package dev.selectftp.server.loop;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helper threads for work that would stall the loop (hashing, fsync, listing a folder, counting a home,
 * writing the users file), the way Redis hands fsync and close to background threads. Results come back
 * through {@code results} (the loop's {@link EventLoop#post}), so session state is still only ever touched
 * by the loop thread. Separate pools keep one kind of work from queueing behind another: account writes
 * fsync, and on the threads that commit uploads they queued every bystander's upload behind them.
 */
public final class Background implements Offload, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Background.class);
  /** Two threads keep one slow fsync from queueing every other upload's commit behind it. */
  public static final int THREADS = 2;
  /** How long {@link #close()} lets queued work finish (a queued account write is confirmed to nobody else). */
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  /** Work that may block and fail. */
  public interface Work<T> {
    T run() throws Exception;
  }

  /** What the loop does with the result: exactly one of {@code value} and {@code failure} is set. */
  public interface Result<T> {
    void accept(T value, Exception failure);
  }

  private final Executor results;
  private final ScheduledThreadPoolExecutor executor;

  /**
   * @param name the threads' name prefix, as seen in thread dumps and the server log
   * @param threads how many helper threads (daemons)
   * @param results where results run: the loop's {@code post}
   */
  public Background(String name, int threads, Executor results) {
    this.results = results;
    AtomicInteger counter = new AtomicInteger();
    this.executor = new ScheduledThreadPoolExecutor(threads, r -> {
      Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** The upload, listing and hashing helpers: {@value #THREADS} threads posting to {@code loop}. */
  public Background(EventLoop loop) {
    this("ftp-background", THREADS, loop::post);
  }

  /** Runs {@code work} on a helper thread and then {@code result} where results go (the loop thread). */
  @Override
  public <T> void run(Work<T> work, Result<T> result) {
    try {
      executor.execute(() -> {
        T value = null;
        Exception failure = null;
        try {
          value = work.run();
        } catch (Exception e) {
          failure = e;
        }
        T v = value;
        Exception f = failure;
        results.execute(() -> result.accept(v, f));
      });
    } catch (RejectedExecutionException e) {
      log.debug("background work refused while shutting down");
      result.accept(null, e);
    }
  }

  /** Runs {@code task} on a helper thread every {@code periodNanos} until closed; a failure is logged, the next run still comes. */
  public void every(long periodNanos, Runnable task) {
    executor.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("periodic background task failed: {}", e.toString());
      }
    }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
  }

  /** Lets queued work finish for up to {@code timeoutMillis}. Safe twice. */
  public void close(long timeoutMillis) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) executor.shutdownNow();
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(CLOSE_WAIT_MILLIS);
  }
}
