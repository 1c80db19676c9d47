package dev.selectftp.server.accounts.postgres;

import dev.selectftp.common.LogText;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link UsersMirror} in step with the users table on its own thread and its own connection:
 * {@code LISTEN selectftp_users} (the trigger of V1__accounts.sql sends each changed name at commit), re-reads
 * the rows named, and every {@code resyncEvery} reads the whole table as a safety net. After a lost
 * connection it reconnects, LISTENs again and resyncs in full, since notifications sent meanwhile are lost.
 * While the database is down the mirror keeps its last users: logins of known users go on.
 */
final class UserChangeListener implements AutoCloseable {
  /** The channel the trigger notifies on; the same name is written in V1__accounts.sql. */
  static final String CHANNEL = "selectftp_users";
  /** How long one wait for notifications lasts: also how soon {@link #close} is noticed. */
  private static final int POLL_MILLIS = 250;
  /** First and longest pause between attempts to reconnect. */
  private static final long RETRY_MIN_MILLIS = 250;
  private static final long RETRY_MAX_MILLIS = TimeUnit.SECONDS.toMillis(5);

  private static final Logger log = LoggerFactory.getLogger(UserChangeListener.class);

  private final PostgresDatabase db;
  private final UsersMirror mirror;
  private final long resyncNanos;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile boolean listening;

  UserChangeListener(PostgresDatabase db, UsersMirror mirror, Duration resyncEvery) {
    this.db = db;
    this.mirror = mirror;
    this.resyncNanos = resyncEvery.toNanos();
    this.thread = new Thread(this::run, "selectftp-accounts-listen");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** True while the listener holds a live LISTEN session (for tests and health checks). */
  boolean listening() {
    return listening;
  }

  private void run() {
    long retry = RETRY_MIN_MILLIS;
    boolean warned = false;
    try {
      while (!closed) {
        try (Connection c = db.dedicatedConnection()) {
          try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
          }
          int users = mirror.replaceAll(() -> UserRows.all(c));
          listening = true;
          if (warned) log.info("accounts database {} is back; {} users re-read", db.url(), users);
          warned = false;
          retry = RETRY_MIN_MILLIS;
          follow(c);
        } catch (SQLException e) {
          listening = false;
          if (closed) break;
          if (!warned) {
            log.warn("lost the accounts database {} ({}); logins go on from memory, changes wait for it",
                db.url(), LogText.of(e.getMessage()));
            warned = true;
          }
          sleep(retry);
          retry = Math.min(RETRY_MAX_MILLIS, retry * 2);
        } catch (RuntimeException e) {
          listening = false;
          log.error("the accounts listener failed; retrying", e);
          sleep(RETRY_MAX_MILLIS);
        }
      }
    } finally {
      listening = false;
      stopped.countDown();
    }
  }

  /** Applies notifications as they come, and a full read every {@link #resyncNanos}, until closed. */
  private void follow(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long nextResync = System.nanoTime() + resyncNanos;
    while (!closed) {
      PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
      if (notes != null && notes.length > 0) {
        Set<String> names = new LinkedHashSet<>();
        for (PGNotification n : notes) {
          if (CHANNEL.equals(n.getName())) names.add(n.getParameter());
        }
        mirror.refresh(names, () -> UserRows.named(c, names));
      }
      if (System.nanoTime() - nextResync >= 0) {
        mirror.replaceAll(() -> UserRows.all(c));
        nextResync = System.nanoTime() + resyncNanos;
      }
    }
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      stopped.await(POLL_MILLIS * 4L, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
