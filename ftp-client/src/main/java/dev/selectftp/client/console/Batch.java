package dev.selectftp.client.console;

import dev.selectftp.client.TransferCancelledException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of a command over many files so that one file's failure (a refusal, a local file that
 * cannot be read or written) is reported on its own {@code error:} line and the rest still run. What
 * would make every later step fail too stops at once: a lost connection, or Ctrl-C.
 */
final class Batch {
  private static final Logger log = LoggerFactory.getLogger(Batch.class);

  /** One step. */
  interface Step {
    void run() throws IOException;
  }

  private final Session session;
  private final Terminal terminal;
  private final Runnable beforeReport;
  private int failed;

  Batch(Session session, Terminal terminal) {
    this(session, terminal, () -> { });
  }

  /** @param beforeReport runs before each {@code error:} line (ends a live progress line) */
  Batch(Session session, Terminal terminal, Runnable beforeReport) {
    this.session = session;
    this.terminal = terminal;
    this.beforeReport = beforeReport;
  }

  /** Runs {@code step}; returns false (and counts it) when it failed and the batch can go on. */
  boolean run(Step step) throws IOException {
    try {
      step.run();
      return true;
    } catch (TransferCancelledException | TransferCutException e) {
      throw e;
    } catch (IOException e) {
      if (!session.current().isOpen()) throw e;
      fail(Errors.describe(e));
      log.info("one step of a batch failed: {}", e.toString());
      return false;
    }
  }

  /** Counts a failure found without running a step, and reports it. */
  void fail(String why) {
    failed++;
    beforeReport.run();
    terminal.println("error: " + why);
  }

  int failed() {
    return failed;
  }

  /**
   * Ends the batch.
   *
   * @throws BatchFailedException saying how many of {@code steps} failed, so the command exits 1
   */
  void finish(int steps, String what) throws BatchFailedException {
    if (failed > 0) throw new BatchFailedException(failed + " of " + steps + " " + what + " failed");
  }
}
