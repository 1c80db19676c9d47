package dev.selectftp.server.accounts;

/**
 * The most recent failure times of one key of the login throttle (a user name or an address), as many as its
 * threshold needs (a ring buffer), the end of its lock, and for an address under attack its login slots. Not
 * thread-safe: the throttle's lock guards it.
 */
final class RecentFailures {
  private final long[] times;
  private final boolean address;
  /** Logins an address under attack may have at once. */
  private final int loginSlots;
  private int size;
  private int next;
  long lockedUntil;
  /** Tickets holding login slots (0 = free) and when each slot frees itself; for addresses under attack. */
  private long[] slotIds;
  private long[] slots;

  /** A key kept for {@code capacity} failures; an address (never locked) also has {@code loginSlots}. */
  RecentFailures(int capacity, boolean address, int loginSlots) {
    this.times = new long[capacity];
    this.address = address;
    this.loginSlots = loginSlots;
  }

  void add(long now) {
    times[next] = now;
    next = (next + 1) % times.length;
    if (size < times.length) size++;
  }

  long last() {
    return times[(next - 1 + times.length) % times.length];
  }

  int countSince(long since) {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (times[i] - since > 0) n++;
    }
    return n;
  }

  /** An address whose ring holds only failures within the window. */
  boolean slowed(long now, long windowNanos) {
    return address && countSince(now - windowNanos) >= times.length;
  }

  /** Takes a free (or expired) login slot for ticket {@code id}; false when all are taken. */
  boolean takeSlot(long id, long expiresAt, long now) {
    if (slotIds == null) {
      slotIds = new long[loginSlots];
      slots = new long[loginSlots];
    }
    for (int i = 0; i < slots.length; i++) {
      if (slotIds[i] == 0 || slots[i] - now <= 0) {
        slotIds[i] = id;
        slots[i] = expiresAt;
        return true;
      }
    }
    return false;
  }

  void freeSlot(long id) {
    if (slotIds == null) return;
    for (int i = 0; i < slotIds.length; i++) {
      if (slotIds[i] == id) slotIds[i] = 0;
    }
  }

  /** Nanoseconds until the first taken slot expires. */
  long firstSlotFree(long now) {
    long soonest = Long.MAX_VALUE;
    for (long s : slots) soonest = Math.min(soonest, s - now);
    return soonest; // only asked when every slot is taken and unexpired
  }

  boolean hasSlots(long now) {
    if (slotIds == null) return false;
    for (int i = 0; i < slots.length; i++) {
      if (slotIds[i] != 0 && slots[i] - now > 0) return true;
    }
    return false;
  }
}
