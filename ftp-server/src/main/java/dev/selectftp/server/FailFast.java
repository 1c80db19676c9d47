package dev.selectftp.server;

import java.util.concurrent.CountDownLatch;

/**
 * Ends the process when the event loop thread dies, so a supervisor restarts it instead of finding a live
 * process that serves nobody. The watchdog thread exists before anything can go wrong (creating a thread
 * may fail once the heap is exhausted) and waits; the dying loop only counts a latch down. The watchdog
 * then prints one line on stderr and calls {@link System#exit}; if the shutdown hooks have not ended the
 * process within {@link #HALT_AFTER_MILLIS} (a hook waiting on the dead loop), it halts.
 */
public final class FailFast {
  /** Exit status when the event loop died: a supervisor should restart the server. */
  public static final int EXIT_LOOP_DIED = 4;
  /** Time the shutdown hooks get after {@link System#exit} before the process is halted. */
  static final long HALT_AFTER_MILLIS = 3_000;

  private final CountDownLatch died = new CountDownLatch(1);
  private volatile Throwable cause;

  private FailFast() {}

  /** Starts the waiting watchdog; {@link Main} passes {@link #loopDied} to {@link FtpServer}'s start. */
  public static FailFast arm() {
    FailFast failFast = new FailFast();
    Thread watchdog = new Thread(failFast::watch, "ftp-failfast");
    watchdog.setDaemon(true);
    watchdog.start();
    return failFast;
  }

  /** Called on the dying loop thread; allocates nothing and returns at once. */
  public void loopDied(Throwable t) {
    cause = t;
    died.countDown();
  }

  /** True once the loop has died, so a shutdown hook knows the exit is not a clean stop. */
  public boolean triggered() {
    return died.getCount() == 0;
  }

  private void watch() {
    try {
      died.await();
    } catch (InterruptedException e) {
      return;
    }
    Thread halt = new Thread(() -> {
      try {
        Thread.sleep(HALT_AFTER_MILLIS);
      } catch (InterruptedException ignored) {
        // halt now
      }
      Runtime.getRuntime().halt(EXIT_LOOP_DIED);
    }, "ftp-halt");
    halt.setDaemon(true);
    try {
      halt.start();
      System.err.println("ftp-server: the event loop died (" + cause + "); exiting with status " + EXIT_LOOP_DIED);
    } catch (Throwable t) { // NOPMD: out of memory or threads: no time for anything gentler
      Runtime.getRuntime().halt(EXIT_LOOP_DIED);
    }
    System.exit(EXIT_LOOP_DIED);
  }

  @Override
  public String toString() {
    return "FailFast[" + (triggered() ? "loop died: " + cause : "armed") + "]";
  }
}
