package dev.selectftp.server.accounts.postgres;

import dev.selectftp.server.accounts.User;
import dev.selectftp.server.accounts.UserTable;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This node's copy of the users table, read by the event loop without a lock or any I/O. It changes on two
 * paths: a write of this node after its commit (so the node reads its own writes at once), and the
 * {@link UserChangeListener} re-reading rows other nodes changed. Both go through {@link #update}, which
 * runs the database read and the change under one lock: a row read before a local commit can then never
 * overwrite that commit's newer value in memory.
 */
final class UsersMirror {
  private final ReentrantLock lock = new ReentrantLock();
  private volatile UserTable table = new UserTable();

  /** The users as last read or written; lock-free, for any thread. */
  UserTable table() {
    return table;
  }

  /** Reads from the database (may block) and returns what to apply, under the mirror's lock. */
  @FunctionalInterface
  interface Read<T, E extends Exception> {
    T read() throws E;
  }

  /** Replaces everything with {@code read}'s users (a full resync). */
  <E extends Exception> int replaceAll(Read<Collection<User>, E> read) throws E {
    lock.lock();
    try {
      UserTable fresh = new UserTable();
      read.read().forEach(fresh::put);
      table = fresh;
      return fresh.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes the users called {@code names} what {@code read} returns: those it returns are put, the other names
   * removed (they have no row any more).
   */
  <E extends Exception> void refresh(Collection<String> names, Read<Collection<User>, E> read) throws E {
    lock.lock();
    try {
      Set<String> gone = new HashSet<>(names);
      for (User u : read.read()) {
        table.put(u);
        gone.remove(u.name());
      }
      gone.forEach(table::remove);
    } finally {
      lock.unlock();
    }
  }

  /** A write of this node, committed: shown at once. */
  void put(User u) {
    lock.lock();
    try {
      table.put(u);
    } finally {
      lock.unlock();
    }
  }

  /** A removal of this node, committed: gone at once. */
  void remove(String name) {
    lock.lock();
    try {
      table.remove(name);
    } finally {
      lock.unlock();
    }
  }
}
