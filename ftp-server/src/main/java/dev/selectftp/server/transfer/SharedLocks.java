package dev.selectftp.server.transfer;

import dev.selectftp.server.loop.Background.Result;

/**
 * Upload locks that hold across nodes, beside each node's own {@link UploadLocks}: with accounts in PostgreSQL an
 * upload also takes its name in a table every node shares, after the node's own lock, so two nodes never write one
 * target at once. {@link #LOCAL} (users.json, one node) grants at once and writes nothing, so without a shared
 * table nothing changes.
 *
 * <p><b>Threading:</b> every method returns at once and may be called on the event loop; the statements run on
 * the implementation's own helper thread (never the store pool) and the answers come back on the loop.
 */
public interface SharedLocks {
  /** No other node: the node's own locks are the whole truth. */
  SharedLocks LOCAL = new SharedLocks() {
    @Override
    public void take(String user, String path, Result<Boolean> done) {
      done.accept(true, null);
    }

    @Override
    public void free(String user, String path) {}

    @Override
    public void heldElsewhere(String user, String path, Result<Boolean> done) {
      done.accept(false, null);
    }

    @Override
    public boolean stillHeld(long takenNanos) {
      return true;
    }
  };

  /**
   * Takes {@code path} (a normalized virtual path) of {@code user} for this node; {@code done} gets true, false
   * when another node uploads it, or the failure (the database is unreachable: the upload must not start).
   */
  void take(String user, String path, Result<Boolean> done);

  /** Gives {@code path} of {@code user} back once its upload ended; a failure is retried later, never waited on. */
  void free(String user, String path);

  /**
   * Whether another node uploads {@code path} of {@code user} or anything inside it (a delete or rename asks);
   * {@code done} gets the answer or the failure.
   */
  void heldElsewhere(String user, String path, Result<Boolean> done);

  /**
   * Whether a name this node asked for at {@code takenNanos} ({@link System#nanoTime}) is surely still its own:
   * false once this node's heartbeat lapsed long enough since then for the other nodes to take it for dead and
   * give its locks away (a partition, a long pause). An upload is not published then. No I/O; any thread.
   */
  boolean stillHeld(long takenNanos);
}
