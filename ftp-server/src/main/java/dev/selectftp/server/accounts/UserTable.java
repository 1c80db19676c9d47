package dev.selectftp.server.accounts;

import dev.selectftp.server.storage.UserNames;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users in memory, kept up to date entry by entry as the journal is read or written, so that no change
 * costs time in the number of users. Lookups by exact name and {@link #iterationMix()} are safe from any
 * thread without locking; every change must come from one thread at a time (the {@link Accounts} lock, or
 * the lock of another repository's mirror).
 */
public final class UserTable {
  private final ConcurrentHashMap<String, User> byName = new ConcurrentHashMap<>();
  /** Case-folded name to the name as registered: the uniqueness check without a scan. */
  private final HashMap<String, String> byFold = new HashMap<>();
  /** How many users have each PBKDF2 iteration count; a handful of distinct counts in practice. */
  private final TreeMap<Integer, Integer> iterationCounts = new TreeMap<>();
  private volatile IterationMix mix = IterationMix.EMPTY;

  /** The user called exactly {@code name}, or null. */
  public User get(String name) {
    return byName.get(name);
  }

  /** The registered name that folds to {@code folded}, or null when that name is free. */
  String nameFolding(String folded) {
    return byFold.get(folded);
  }

  public int size() {
    return byName.size();
  }

  /** A copy of every user, in no particular order. */
  public Map<String, User> copy() {
    return new HashMap<>(byName);
  }

  /** The iteration counts of the users, weighted by how many users have each. */
  public IterationMix iterationMix() {
    return mix;
  }

  /** Adds or replaces the user of that exact name. */
  public void put(User u) {
    User before = byName.put(u.name(), u);
    if (before != null) count(before.credentials().iterations(), -1);
    byFold.put(UserNames.foldCase(u.name()), u.name());
    count(u.credentials().iterations(), +1);
    publishMix();
  }

  /** Removes the user of that exact name; false when there was none. */
  public boolean remove(String name) {
    User before = byName.remove(name);
    if (before == null) return false;
    byFold.remove(UserNames.foldCase(name), name);
    count(before.credentials().iterations(), -1);
    publishMix();
    return true;
  }

  private void count(int iterations, int delta) {
    iterationCounts.merge(iterations, delta, (a, b) -> a + b == 0 ? null : a + b);
  }

  /** O(distinct counts): a few entries, not the number of users. */
  private void publishMix() {
    int[] values = new int[iterationCounts.size()];
    long[] cumulative = new long[values.length];
    long total = 0;
    int i = 0;
    for (Map.Entry<Integer, Integer> e : iterationCounts.entrySet()) {
      values[i] = e.getKey();
      total += e.getValue();
      cumulative[i++] = total;
    }
    mix = new IterationMix(values, cumulative);
  }

  /**
   * Iteration counts and how many users have each, as cumulative totals in ascending count order.
   * Immutable.
   */
  public static final class IterationMix {
    static final IterationMix EMPTY = new IterationMix(new int[0], new long[0]);
    private final int[] values;
    private final long[] cumulative;

    IterationMix(int[] values, long[] cumulative) {
      this.values = values;
      this.cumulative = cumulative;
    }

    boolean isEmpty() {
      return values.length == 0;
    }

    /**
     * The count at {@code fraction} (in [0, 1)) of the users ordered by count: a name hashed to a fraction
     * gets each count with the share of users that have it. As users come and go a boundary moves only in
     * proportion, so a given name keeps its count unless the mix itself changes noticeably.
     */
    int at(double fraction) {
      long total = cumulative[cumulative.length - 1];
      long target = Math.min(total - 1, (long) (fraction * total));
      int i = Arrays.binarySearch(cumulative, target + 1);
      if (i < 0) i = -i - 1;
      return values[i];
    }
  }
}
