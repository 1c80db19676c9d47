package dev.selectftp.server.quota;

import dev.selectftp.common.LogText;
import dev.selectftp.common.Sizes;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedQuota} on a shared {@link Ledger} (PostgreSQL's {@code usage} rows): the ledger's
 * {@code used_bytes} follows what the user stores (files and kept partials, as {@link Quotas}' stored does) and
 * {@code reserved_bytes} what uploads in flight on every node were granted. Statements run on one helper thread
 * of its own, in the order asked, so a hold's reservation always precedes its end. A statement that fails (the
 * database is down) is logged; a reservation then is simply not granted, so an upload can be published only
 * after the ledger said yes ({@link Hold#confirmBlocking}).
 */
public final class LedgerQuota implements SharedQuota, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LedgerQuota.class);
  /** An upload of undeclared size asks for room ahead in steps this big, not for every slice. */
  static final long STEP_BYTES = 1L << 20;
  /** How long a publish waits for the answers to the reservations asked before it. */
  private static final long ANSWER_SECONDS = 30;

  /** The blocking statements on the shared rows, each one atomic; helper threads only. */
  public interface Ledger {
    /** Reserves {@code bytes} if used + reserved + bytes stays within the quota; false if not. */
    boolean reserve(String user, long bytes) throws IOException;

    /** Releases {@code released} reserved bytes and adds {@code storedDelta} to the used bytes (never below 0). */
    void settle(String user, long released, long storedDelta) throws IOException;

    /** Raises the used bytes to {@code bytes} if they are lower. */
    void raiseTo(String user, long bytes) throws IOException;

    /** What is free under the quota now ({@code [free, quota]}), for the refusal's message. */
    long[] room(String user) throws IOException;
  }

  private final Ledger ledger;
  /** Where {@link Hold#confirm}'s answers run: the loop's {@code post}. */
  private final Executor results;
  private final ExecutorService statements = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ftp-quota-ledger");
    t.setDaemon(true);
    return t;
  });

  /** @param results where answers to {@link Hold#confirm} run: the event loop's {@code post} */
  public LedgerQuota(Ledger ledger, Executor results) {
    this.ledger = ledger;
    this.results = results;
  }

  @Override
  public Hold hold(String user) {
    return new LedgerHold(user);
  }

  @Override
  public void add(String user, long bytes) {
    if (bytes != 0) submit(user, "change", () -> ledger.settle(user, 0, bytes));
  }

  @Override
  public void counted(String user, long bytes) {
    submit(user, "count", () -> ledger.raiseTo(user, bytes));
  }

  private interface Statement {
    void run() throws IOException;
  }

  private CompletableFuture<Void> submit(String user, String what, Statement statement) {
    return CompletableFuture.runAsync(() -> {
      try {
        statement.run();
      } catch (IOException | RuntimeException e) {
        log.warn("quota ledger: the {} for {} was not written: {}", what, LogText.of(user), LogText.of(e.getMessage()));
      }
    }, statements);
  }

  @Override
  public void close() {
    statements.shutdown();
    try {
      statements.awaitTermination(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One upload's hold. {@link #extend}, {@link #confirm} and {@link #settle} on the loop; {@link #confirmBlocking}
   * on a helper.
   */
  private final class LedgerHold implements Hold {
    private final String user;
    private final AtomicLong granted = new AtomicLong();
    /** Asked for so far (loop side), granted or not: grows ask in {@link #STEP_BYTES} steps ahead of it. */
    private long asked;
    private volatile CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    LedgerHold(String user) {
      this.user = user;
    }

    @Override
    public void extend(long total) {
      if (total <= asked) return;
      long more = Math.max(total - asked, asked == 0 ? 0 : STEP_BYTES);
      asked += more;
      last = submit(user, "reservation", () -> {
        if (ledger.reserve(user, more)) granted.addAndGet(more);
      });
    }

    @Override
    public long granted() {
      return granted.get();
    }

    @Override
    public void confirmBlocking(long needed) throws Refused, IOException {
      try {
        last.get(ANSWER_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the quota ledger", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("the quota ledger did not answer", e);
      }
      reserveMissing(needed);
    }

    @Override
    public void confirm(long needed, Consumer<Exception> done) {
      try {
        // The statements thread runs in order, so every reservation asked before this one has been answered.
        statements.execute(() -> {
          Exception outcome = null;
          try {
            reserveMissing(needed);
          } catch (Refused | IOException | RuntimeException e) {
            outcome = e;
          }
          Exception answer = outcome;
          results.execute(() -> done.accept(answer));
        });
      } catch (RejectedExecutionException closed) {
        done.accept(new IOException("the quota ledger is closed", closed));
      }
    }

    /** Blocking, the statements thread or after its answers: reserves what of {@code needed} is not granted yet. */
    private void reserveMissing(long needed) throws Refused, IOException {
      long missing = needed - granted.get();
      if (missing <= 0) return;
      if (ledger.reserve(user, missing)) {
        granted.addAndGet(missing);
        return;
      }
      long[] room = ledger.room(user);
      throw new Refused(Refusal.QUOTA_EXCEEDED, "the upload needs " + Sizes.format(needed) + " but only "
          + Sizes.format(room[0]) + " of your " + Sizes.format(room[1])
          + " quota is free on all servers together; nothing was stored");
    }

    @Override
    public void settle(long storedDelta) {
      // Queued after every reservation of this hold, so what it releases is all they granted.
      submit(user, "end of an upload", () -> ledger.settle(user, granted.getAndSet(0), storedDelta));
    }
  }
}
