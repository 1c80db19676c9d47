package dev.selectftp.server.quota;

import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.util.function.Consumer;

/** Room held for one upload until it is committed or released; each ends it once, later calls do nothing. */
public final class Reservation {
  final QuotaAccount account;
  /** What the upload will free when it replaces a file; only a success makes it real. */
  final long credit;
  /** Grows as bytes arrive for an upload of undeclared size ({@link Quotas#grow}). */
  long bytes;
  boolean open = true;
  /** The shared ledger's side ({@link SharedQuota.Hold#UNLIMITED} without one). */
  final SharedQuota.Hold shared;

  Reservation(QuotaAccount account, long bytes, long credit, SharedQuota.Hold shared) {
    this.account = account;
    this.bytes = bytes;
    this.credit = credit;
    this.shared = shared;
    shared.extend(netBytes());
  }

  /** What the upload adds to the user's usage once done: its bytes less the credit, at least 0. */
  long netBytes() {
    return Math.max(0, bytes - credit);
  }

  /**
   * Blocking, helper threads only, just before the upload is published: the shared ledger must grant
   * {@link #netBytes}, or nothing is published (see {@link SharedQuota.Hold#confirmBlocking}).
   *
   * @throws Refused QUOTA_EXCEEDED when other nodes used the room meanwhile
   * @throws IOException when the ledger cannot be reached
   */
  public void confirmSharedBlocking() throws Refused, IOException {
    shared.confirmBlocking(netBytes());
  }

  /**
   * {@link #confirmSharedBlocking} for the loop, at the start of an upload: the ledger's statement runs on its own
   * thread and {@code done} gets null (granted), QUOTA_EXCEEDED or the failure where the ledger posts answers.
   */
  public void confirmShared(Consumer<Exception> done) {
    shared.confirm(netBytes(), done);
  }

  /** The bytes held. */
  public long bytes() {
    return bytes;
  }

  /** True until {@link #commit} or {@link #release}. */
  public boolean isOpen() {
    return open;
  }

  /**
   * The upload succeeded: applies {@code delta} (new size on disk minus what stored counted and minus the
   * replaced file; entries -1 if a file was replaced) and releases the reservation. Idempotent.
   */
  public void commit(Tally delta) {
    end(delta);
  }

  /**
   * The upload ended without success: what its partial now holds beyond what stored counted moves into
   * stored (negative if it was trimmed or deleted), the reservation is released. Idempotent; does nothing
   * after {@link #commit}.
   */
  public void release(Tally delta) {
    end(delta);
  }

  private void end(Tally delta) {
    if (!open) return;
    open = false;
    account.reserved -= bytes;
    account.version++;
    account.stored = Math.max(0, account.stored + delta.bytes());
    account.entries = Math.max(0, account.entries + delta.entries());
    shared.settle(delta.bytes());
  }
}
