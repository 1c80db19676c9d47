package dev.selectftp.server.accounts;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes and re-reads the users files. Account changes fsync; on the helper threads that
 * also commit uploads they queued every bystander's upload behind them (a 4 KiB put went from 46 ms to 1.7 s
 * during a registration flood), so they get a thread of their own. Results go to {@code resultExecutor} (the
 * event loop), so session state is still only touched there.
 */
public final class AccountsExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccountsExecutor.class);
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  /** Work that may block and fail. */
  public interface Work<T> {
    T run() throws Exception;
  }

  /** What the loop does with the result: exactly one of {@code value} and {@code failure} is set. */
  public interface Result<T> {
    void accept(T value, Exception failure);
  }

  private final Executor resultExecutor;
  private final ScheduledThreadPoolExecutor executor;

  /** A daemon thread named {@code ftp-accounts}; results run on {@code resultExecutor}. */
  public AccountsExecutor(Executor resultExecutor) {
    this.resultExecutor = resultExecutor;
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "ftp-accounts");
      t.setDaemon(true);
      return t;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Runs {@code work} on the accounts thread, then {@code result} on the result executor. */
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
        resultExecutor.execute(() -> result.accept(v, f));
      });
    } catch (RejectedExecutionException e) {
      log.debug("account work refused while shutting down");
      result.accept(null, e);
    }
  }

  /** Runs {@code task} every {@code periodNanos} until closed; a failure is logged and the next run still comes. */
  public void every(long periodNanos, Runnable task) {
    executor.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("periodic account task failed: {}", e.toString());
      }
    }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
  }

  /** Lets queued writes finish (they are confirmed to nobody otherwise). Safe twice. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) executor.shutdownNow();
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
