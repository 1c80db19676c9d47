package dev.selectftp.server.storage.s3;

/**
 * The back-pressure of one partial's write channel: how many of its full parts were handed to the senders and
 * are not stored yet (queued or in flight), and the writer waiting for that number to drop below
 * {@link #MAX_UNSENT_PARTS}. The upload stops reading its sender while it is at the bound, so its spool holds
 * at most the bound plus the part being filled, and its commit waits for no more than that. Thread-safe:
 * counted up on the loop, down on the senders.
 */
final class UnsentParts {
  /**
   * Parts one upload may have queued or in flight before it stops reading its sender: two keep a part on
   * the wire while the next is filled, without letting the spool grow with a store slower than the client.
   */
  static final int MAX_UNSENT_PARTS = 2;

  private int unsent;
  /** Told once, when the count drops below the bound; null when no writer waits. */
  private Runnable drained;

  /** A full part was handed to the senders. */
  synchronized void handedOut() {
    unsent++;
  }

  /** A part handed out is done (stored, or its send failed or was skipped): a waiting writer may go on. */
  void done() {
    Runnable waiting;
    synchronized (this) {
      unsent--;
      if (unsent >= MAX_UNSENT_PARTS || drained == null) return;
      waiting = drained;
      drained = null;
    }
    waiting.run();
  }

  /**
   * True when the bound is reached; {@code whenDrained} then runs once, on the thread that finishes a part,
   * when it no longer is (a later call replaces a waiting one).
   */
  synchronized boolean congested(Runnable whenDrained) {
    if (unsent < MAX_UNSENT_PARTS) return false;
    drained = whenDrained;
    return true;
  }
}
