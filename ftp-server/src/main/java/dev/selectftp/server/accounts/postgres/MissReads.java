package dev.selectftp.server.accounts.postgres;

import dev.selectftp.common.LogText;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-on-miss: a login of a name this node's {@link UsersMirror} lacks reads that one row from the database
 * before the challenge, so an account registered through another node logs in here at once, before its
 * NOTIFY arrives. Bounded, because an unknown name costs the same read as a fresh one and a flood of made-up
 * names must not become a flood of statements:
 *
 * <ul>
 *   <li>concurrent reads of one name are one read;
 *   <li>at most {@link #MAX_READS} reads are in flight (counted until the database answers, not until the
 *       caller stops waiting), on as many threads of their own, so a hung database holds at most that many
 *       pooled connections; over the cap the caller is answered at once from memory;
 *   <li>at most {@link #MAX_WAITING} callers wait, each at most {@link #WAIT}: the helper threads lent to
 *       logins are bounded in number and time;
 * </ul>
 *
 * The row is read and applied under the mirror's lock ({@link UsersMirror#refresh}), so this read and a
 * NOTIFY's re-read or a local write are ordered: neither overwrites a newer value. Thread-safe.
 */
final class MissReads implements AutoCloseable {
  /** Reads in flight, below the pool's 4 connections so writes always find one. */
  static final int MAX_READS = 2;
  /** Callers waiting at once: below the server's store threads, so file operations always find one. */
  static final int MAX_WAITING = 2;
  /** How long a caller waits for its read: a database round trip takes milliseconds; a slow one is skipped. */
  static final Duration WAIT = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(MissReads.class);

  private final PostgresDatabase db;
  private final UsersMirror mirror;
  private final ExecutorService readers;
  /** The reads in flight by name; guarded by {@code this}. */
  private final Map<String, CompletableFuture<Void>> reading = new HashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong started = new AtomicLong();

  MissReads(PostgresDatabase db, UsersMirror mirror) {
    this.db = db;
    this.mirror = mirror;
    AtomicInteger counter = new AtomicInteger();
    this.readers = Executors.newFixedThreadPool(MAX_READS, r -> {
      Thread t = new Thread(r, "selectftp-accounts-miss-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Blocking, at most {@link #WAIT}: brings {@code name} into the mirror if the database has it. Returns
   * early, leaving the mirror as it is, when over a cap or when the database is down or slow: the caller
   * then answers from memory (made-up credentials for a name it lacks), as before this read existed.
   */
  void await(String name) {
    if (waiting.incrementAndGet() > MAX_WAITING) {
      waiting.decrementAndGet();
      return;
    }
    try {
      CompletableFuture<Void> read = joinOrStart(name);
      if (read != null) read.get(WAIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // The mirror stays as it was; the read, if still running, applies its row when it comes.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** How many reads were started (never more than the names asked for at once allow); for tests. */
  long started() {
    return started.get();
  }

  /** The read of {@code name} in flight, or a new one; null when {@link #MAX_READS} are in flight. */
  private synchronized CompletableFuture<Void> joinOrStart(String name) {
    CompletableFuture<Void> read = reading.get(name);
    if (read != null) return read;
    if (reading.size() >= MAX_READS) return null;
    CompletableFuture<Void> fresh = new CompletableFuture<>();
    reading.put(name, fresh);
    try {
      readers.execute(() -> readOne(name, fresh));
    } catch (RejectedExecutionException e) {
      reading.remove(name); // closed: answered from memory
      return null;
    }
    started.incrementAndGet();
    return fresh;
  }

  private void readOne(String name, CompletableFuture<Void> read) {
    try (Connection c = db.connection()) {
      List<String> names = List.of(name);
      mirror.refresh(names, () -> UserRows.named(c, names));
      read.complete(null);
    } catch (SQLException | RuntimeException e) {
      log.debug("read-on-miss failed: {}", LogText.of(String.valueOf(e.getMessage())));
      read.completeExceptionally(e);
    } finally {
      synchronized (this) {
        reading.remove(name, read);
      }
    }
  }

  @Override
  public void close() {
    readers.shutdownNow();
  }
}
