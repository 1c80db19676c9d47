package dev.selectftp.server.quota;

import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Byte quotas that hold across nodes, beside each node's own {@link Quotas}: with accounts in PostgreSQL every
 * reservation, end and change of what a user stores is also written to a shared ledger ({@link LedgerQuota}),
 * whose one-statement reservations two nodes cannot over-commit. {@link #LOCAL} (users.json, one node) does
 * nothing and grants everything, so without a shared ledger nothing changes.
 *
 * <p><b>Threading:</b> every method except {@link Hold#confirmBlocking} returns at once and may be called on the
 * event loop; the statements run on the implementation's own helper thread, in the order they were asked for, and
 * {@link Hold#confirm}'s answer comes back on the loop (never holding a thread of the store pool meanwhile).
 */
public interface SharedQuota {
  /** No ledger: one node's {@link Quotas} are the whole truth. */
  SharedQuota LOCAL = new SharedQuota() {
    @Override
    public Hold hold(String user) {
      return Hold.UNLIMITED;
    }

    @Override
    public void add(String user, long bytes) {}

    @Override
    public void counted(String user, long bytes) {}
  };

  /** A new hold for one upload, nothing reserved in it yet. */
  Hold hold(String user);

  /** What the user stores changed by {@code bytes} outside an upload's hold (a delete, a trimmed partial). */
  void add(String user, long bytes);

  /**
   * A fresh count of the user's home found {@code bytes}: the ledger's figure is raised to it if lower (never
   * lowered: another node's uploads may not be in this node's count yet).
   */
  void counted(String user, long bytes);

  /** The ledger's side of one upload's {@link Reservation}. */
  interface Hold {
    /** Grants everything and writes nothing. */
    Hold UNLIMITED = new Hold() {
      @Override
      public void extend(long bytes) {}

      @Override
      public long granted() {
        return Long.MAX_VALUE;
      }

      @Override
      public void confirmBlocking(long needed) {}

      @Override
      public void confirm(long needed, Consumer<Exception> done) {
        done.accept(null);
      }

      @Override
      public void settle(long storedDelta) {}
    };

    /**
     * Asks the ledger to hold {@code total} bytes in all for this upload (ahead, in steps, for one whose size
     * grows), without waiting; a refusal only means they are not granted yet.
     */
    void extend(long total);

    /** What the ledger granted so far (answers that arrived); {@link Long#MAX_VALUE} without a ledger. */
    long granted();

    /**
     * Blocking, helper threads only, before the upload is published: waits for the answers asked for, then
     * reserves whatever of {@code needed} is not granted yet in one statement.
     *
     * @throws Refused QUOTA_EXCEEDED when the ledger cannot grant {@code needed}: other nodes used the room
     * @throws IOException when the ledger cannot be reached; nothing may be published then
     */
    void confirmBlocking(long needed) throws Refused, IOException;

    /**
     * {@link #confirmBlocking} without blocking: the statement runs on the ledger's own thread after the ones
     * asked before it, and {@code done} gets null (granted), the {@link Refused} or the {@link IOException} on the
     * event loop; at once on the caller's thread without a ledger.
     */
    void confirm(long needed, Consumer<Exception> done);

    /** Ends the hold: what was granted is released and {@code storedDelta} applied to what the user stores. */
    void settle(long storedDelta);
  }
}
