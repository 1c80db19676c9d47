package dev.selectftp.server.transfer;

import dev.selectftp.server.loop.EventLoop;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helper threads for work that would stall the loop (hashing a file prefix, fsync, writing the users
 * file), the way Redis hands fsync and close to background threads. Results come back as tasks posted
 * to the loop, so session state is still only ever touched by the loop thread.
 */
public final class Background implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Background.class);
  /** Two threads keep one slow fsync from queueing every other upload's commit behind it. */
  public static final int THREADS = 2;

  /** Work that may block and fail. */
  public interface Work<T> {
    T run() throws Exception;
  }

  /** What the loop does with the result: exactly one of {@code value} and {@code failure} is set. */
  public interface Result<T> {
    void accept(T value, Exception failure);
  }

  private final EventLoop loop;
  private final ExecutorService executor;

  public Background(EventLoop loop) {
    this.loop = loop;
    AtomicInteger counter = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "ftp-background-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code work} on a helper thread and then {@code result} on the loop thread. */
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
        loop.post(() -> result.accept(v, f));
      });
    } catch (RejectedExecutionException e) {
      log.debug("background work refused while shutting down");
      result.accept(null, e);
    }
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
    close(5_000);
  }
}
