package dev.selectftp.server.accounts;

import dev.selectftp.common.LogText;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users in memory, in step with the users files ({@link UserStore}): a change is decided on up-to-date
 * users under both locks (this process's, then the files' lock, which orders processes) and is durable
 * before it shows; another process's changes are picked up by {@link #refreshIfChanged}. Thread-safe:
 * readers see {@link #table()} without a lock.
 */
final class UserMirror {
  /** Accounts' logger: these lines are what an administrator knows as the accounts' own. */
  private static final Logger log = LoggerFactory.getLogger(Accounts.class);

  private final UserStore store;
  /** Orders changes and refreshes in this process; the store's file lock orders them between processes. */
  private final ReentrantLock stateLock = new ReentrantLock();
  private volatile UserTable table;
  private volatile UserStore.Position position;
  /** The files' fingerprint when a full read last failed: warn once per bad version, not every second. */
  private Object failedFingerprint;

  UserMirror(UserStore store, UserStore.Loaded initial) {
    this.store = store;
    this.table = tableOf(initial);
    this.position = initial.position();
  }

  /** The users as last read or written. */
  UserTable table() {
    return table;
  }

  /** See {@link Accounts#refreshIfChanged}. */
  boolean refreshIfChanged() {
    stateLock.lock();
    try {
      return refreshLocked();
    } finally {
      stateLock.unlock();
    }
  }

  /** Refreshes unless a writer holds the lock: never wait, a writer publishes fresh data itself. */
  void tryRefresh() {
    if (stateLock.tryLock()) {
      try {
        refreshLocked();
      } finally {
        stateLock.unlock();
      }
    }
  }

  private boolean refreshLocked() {
    UserStore.Position caughtUp = store.catchUp(position, table);
    if (caughtUp != null) {
      boolean changed = !caughtUp.equals(position);
      position = caughtUp;
      return changed;
    }
    try {
      Object fingerprint = store.fingerprint();
      if (fingerprint.equals(failedFingerprint)) return false;
      try {
        reload(store.loadFully());
        failedFingerprint = null;
        log.info("users changed on disk; {} users now", table.size());
        return true;
      } catch (IOException e) {
        failedFingerprint = fingerprint;
        log.warn("keeping the last good users: {}", LogText.of(e.getMessage()));
        return false;
      }
    } catch (IOException e) {
      log.warn("cannot look at the users files: {}", e.toString());
      return false;
    }
  }

  private void reload(UserStore.Loaded loaded) {
    table = tableOf(loaded);
    position = loaded.position();
  }

  private static UserTable tableOf(UserStore.Loaded loaded) {
    UserTable t = new UserTable();
    loaded.users().values().forEach(t::put);
    return t;
  }

  /** Decides, under both locks and on up-to-date users, which entry to write; null writes nothing. */
  @FunctionalInterface
  interface Edit {
    UserJournal.Entry decide(UserTable current) throws IOException, Refused;
  }

  /** Work after the entry is durable, still under both locks. */
  @FunctionalInterface
  interface After {
    void run() throws IOException;
  }

  void change(Edit edit) throws IOException, Refused {
    change(edit, () -> {});
  }

  void change(Edit edit, After after) throws IOException, Refused {
    stateLock.lock();
    try {
      Refused[] refusal = {null};
      store.locked(() -> {
        UserStore.Position caughtUp = store.catchUp(position, table);
        if (caughtUp == null) reload(store.loadLocked());
        else position = caughtUp;
        UserJournal.Entry entry;
        try {
          entry = edit.decide(table);
        } catch (Refused e) {
          refusal[0] = e;
          return null;
        }
        if (entry == null) return null;
        try {
          position = store.write(position, entry, table);
        } catch (IOException e) {
          reload(store.loadLocked()); // memory may be ahead of the disk: believe the disk
          throw e;
        }
        after.run();
        return null;
      });
      if (refusal[0] != null) throw refusal[0];
    } finally {
      stateLock.unlock();
    }
  }
}
