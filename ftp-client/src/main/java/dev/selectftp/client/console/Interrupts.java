package dev.selectftp.client.console;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Routes Ctrl-C: while a transfer runs it calls that transfer's abort action (which closes the client's
 * socket, so the transfer fails with a cancelled error and keeps its partial); otherwise Ctrl-C does what
 * it always did, ending the process. Only the interactive modes {@link #install()} the SIGINT handler;
 * tests drive {@link #interrupt()} directly.
 */
public final class Interrupts {
  private static final Logger log = LoggerFactory.getLogger(Interrupts.class);
  /** 128 + SIGINT, what a shell reports for a process ended by Ctrl-C. */
  static final int EXIT_ON_INTERRUPT = 130;

  private final boolean signals;
  private final AtomicReference<Runnable> abortCurrent = new AtomicReference<>();
  private boolean installed;

  private Interrupts(boolean signals) {
    this.signals = signals;
  }

  /** Interrupts that {@link #install()} hooks to the process's SIGINT (Ctrl-C). */
  public static Interrupts fromSignals() {
    return new Interrupts(true);
  }

  /** Interrupts that only {@link #interrupt()} triggers; {@link #install()} does nothing. For tests. */
  public static Interrupts manual() {
    return new Interrupts(false);
  }

  /** While a scope is open, an interrupt runs its abort action instead of ending the process. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Makes {@code abort} the action of the next interrupt until the returned scope closes. {@code abort}
   * runs on the signal's thread, so it must be thread-safe ({@code FtpClient::abort} is).
   */
  public Scope during(Runnable abort) {
    abortCurrent.set(abort);
    return () -> abortCurrent.compareAndSet(abort, null);
  }

  /**
   * Delivers one interrupt: aborts the running transfer and returns true, or returns false when none runs.
   * Safe from any thread.
   */
  public boolean interrupt() {
    Runnable abort = abortCurrent.getAndSet(null);
    if (abort == null) return false;
    log.info("interrupt: aborting the running transfer");
    abort.run();
    return true;
  }

  /** Hooks SIGINT when made by {@link #fromSignals()}; safe to call twice. */
  public synchronized void install() {
    if (!signals || installed) return;
    installed = true;
    try {
      Signal sigint = new Signal("INT");
      SignalHandler[] previous = new SignalHandler[1];
      previous[0] = Signal.handle(sigint, signal -> {
        if (!interrupt()) otherwise(previous[0], signal);
      });
      // The JVM leaves a SIGINT that was ignored at startup (a background job of a script) ignored.
      if (previous[0] == SignalHandler.SIG_IGN) log.info("SIGINT is ignored by this process; Ctrl-C stays ignored");
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // SIGINT is ignored or reserved (java -Xrs): Ctrl-C keeps whatever behaviour it has.
      log.info("cannot handle SIGINT: {}", e.toString());
    }
  }

  /** No transfer runs: behave as before the handler was installed (by default, end the process). */
  private static void otherwise(SignalHandler previous, Signal signal) {
    if (previous == SignalHandler.SIG_IGN) return;
    if (previous != null && previous != SignalHandler.SIG_DFL) {
      try {
        previous.handle(signal);
        return;
      } catch (RuntimeException e) {
        log.debug("previous SIGINT handler cannot be called: {}", e.toString());
      }
    }
    System.exit(EXIT_ON_INTERRUPT);
  }
}
