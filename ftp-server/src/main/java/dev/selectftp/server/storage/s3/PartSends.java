package dev.selectftp.server.storage.s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The helper-thread work of one partial's write channel on the {@link Spool}'s senders: each full part is
 * hashed in order ({@link PartialUpload#prepare}, chained after the part before it) and then sent side by
 * side with the others ({@link PartialUpload#send}); its spool file is deleted once sent or failed. Steps
 * that must not overlap a send (cutting back) run {@link #afterAll} of them. The first IOException of any
 * step is kept ({@link #failure}): the steps after it skip their work, and the channel reports it at its next
 * write or sync. Counts the parts handed out and not stored yet ({@link UnsentParts}) for the back-pressure.
 *
 * <p><b>Threads.</b> Parts are handed out under the channel's lock (on the loop), steps run on helper
 * threads; the chain is guarded by this object, the failure is volatile.
 */
final class PartSends {
  /** One step of the work; its IOException becomes the {@link #failure}. */
  interface Step {
    void run() throws IOException;
  }

  private final PartialUpload upload;
  private final Spool spool;
  private final UnsentParts unsent = new UnsentParts();
  /** The steps that must run in order: hashing each part, cutting back. */
  private CompletableFuture<Void> order = CompletableFuture.completedFuture(null);
  /** Part sends not known to be done. */
  private final List<CompletableFuture<Void>> sends = new ArrayList<>();
  private volatile IOException failure;

  PartSends(PartialUpload upload, Spool spool) {
    this.upload = upload;
    this.spool = spool;
  }

  /** Hands the full spool file {@code full} to the helpers: hashed in order, then sent, then deleted. */
  synchronized void ship(Path full) {
    int[] number = new int[1];
    order = spool.after(order, step(() -> number[0] = failure == null ? upload.prepare(full) : 0));
    sends.removeIf(CompletableFuture::isDone);
    unsent.handedOut();
    CompletableFuture<Void> send = spool.after(order, step(() -> {
      try {
        if (failure == null && number[0] > 0) upload.send(number[0], full);
      } finally {
        Files.deleteIfExists(full);
      }
    }));
    sends.add(send);
    // Counted down however the step ends (a step skipped after a failed one too), so no writer waits forever.
    send.whenComplete((ok, failed) -> unsent.done());
  }

  /** Loop: see {@link dev.selectftp.server.storage.Backlog}; never after a failure, which is reported instead. */
  boolean congested(Runnable drained) {
    return failure == null && unsent.congested(drained);
  }

  /** Runs {@code step} after every part handed out so far was hashed and sent. */
  synchronized void afterAll(Step step) {
    order = spool.after(all(), step(step));
  }

  /** Done once every step handed out so far is done, whatever its outcome. */
  synchronized CompletableFuture<Void> all() {
    List<CompletableFuture<Void>> steps = new ArrayList<>(sends);
    steps.add(order);
    return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
  }

  /** Blocking: waits until every part handed out so far was hashed and sent (or failed). */
  void await() {
    try {
      all().join();
    } catch (CompletionException | CancellationException e) {
      // A step's IOException is kept in failure; anything else (a stopped executor) is kept here.
      fail(new IOException("a part send failed", e.getCause()));
    }
  }

  /** Throws the first failure of a step, if there was one. */
  void throwFailure() throws IOException {
    IOException first = failure;
    if (first != null) throw first;
  }

  /** Keeps {@code e} as the failure unless there is one already: the steps after skip their work. */
  void fail(IOException e) {
    if (failure == null) failure = e;
  }

  /** {@code step} with its IOException kept as the failure. */
  private Runnable step(Step step) {
    return () -> {
      try {
        step.run();
      } catch (IOException e) {
        fail(e);
      }
    };
  }
}
