package dev.selectftp.client.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.testing.Sigint;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Ctrl-C routing: only while a scope is open, once per interrupt, and never after the scope closed. */
class InterruptsTest {
  private final Interrupts interrupts = Interrupts.manual();
  private final AtomicInteger aborts = new AtomicInteger();

  @Test
  void withoutATransferAnInterruptIsNotTaken() {
    assertFalse(interrupts.interrupt());
  }

  @Test
  void duringAScopeTheInterruptRunsTheAbortOnce() {
    try (Interrupts.Scope scope = interrupts.during(aborts::incrementAndGet)) {
      assertTrue(interrupts.interrupt());
      assertFalse(interrupts.interrupt(), "a second Ctrl-C in the same transfer is the default again");
    }
    assertEquals(1, aborts.get());
  }

  @Test
  void afterTheScopeClosesTheAbortIsNoLongerCalled() {
    interrupts.during(aborts::incrementAndGet).close();
    assertFalse(interrupts.interrupt());
    assertEquals(0, aborts.get());
  }

  @Test
  void anInterruptFromAnotherThreadReachesTheScope() throws Exception {
    try (Interrupts.Scope scope = interrupts.during(aborts::incrementAndGet)) {
      Thread signal = new Thread(interrupts::interrupt);
      signal.start();
      signal.join();
    }
    assertEquals(1, aborts.get());
  }

  /**
   * {@code install()} on manual interrupts leaves the JVM's SIGINT handler as it was: a sentinel handler
   * put in place first is still the one installed afterwards (then the original is restored).
   */
  @Test
  void manualInterruptsInstallNoSignalHandler() throws Exception {
    Sigint.assumeDeliverable(); // with SIGINT ignored the JVM keeps SIG_IGN whatever handler is set
    Signal sigint = new Signal("INT");
    SignalHandler sentinel = signal -> {};
    SignalHandler original;
    try {
      original = Signal.handle(sigint, sentinel);
    } catch (IllegalArgumentException e) {
      Assumptions.abort("SIGINT cannot be handled in this JVM (-Xrs?): " + e);
      return;
    }
    SignalHandler afterInstall;
    try {
      interrupts.install(); // must not touch the test JVM's SIGINT
    } finally {
      afterInstall = Signal.handle(sigint, original);
    }
    assertSame(sentinel, afterInstall, "the SIGINT handler in place before install() is still in place");
  }
}
