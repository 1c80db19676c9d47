package dev.selectftp.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which deadline a connection's sweep names, with the clock read far enough ahead of a fresh connection. */
class DeadlinesTest {
  private static final long LOGIN = TimeUnit.SECONDS.toNanos(30);
  private static final long IDLE = TimeUnit.SECONDS.toNanos(300);
  private static final long MESSAGE = TimeUnit.SECONDS.toNanos(10);

  private static long after(long nanos) {
    return System.nanoTime() + nanos + TimeUnit.MILLISECONDS.toNanos(1);
  }

  @Test
  void aFreshConnectionHasNoDeadlinePassed() {
    assertNull(new Deadlines().passed(System.nanoTime(), false, false, LOGIN, IDLE, MESSAGE));
  }

  @Test
  void aSessionNotLoggedInByTheLoginTimeoutIsNamedBeforeAnythingElse() {
    Deadlines d = new Deadlines();
    d.message(true);
    assertEquals("no login within the login timeout", d.passed(after(IDLE), false, true, LOGIN, IDLE, MESSAGE));
  }

  @Test
  void aMessageBegunAndNotCompleteWithinTheMessageTimeoutIsNamed() {
    Deadlines d = new Deadlines();
    d.message(true);
    assertEquals("a frame took too long to arrive", d.passed(after(MESSAGE), true, true, LOGIN, IDLE, MESSAGE));
  }

  @Test
  void aMessageHeldUpByTheServersOwnBackPressureIsNotTheClientsDelay() {
    Deadlines d = new Deadlines();
    d.message(true);
    assertNull(d.passed(after(MESSAGE), true, false, LOGIN, IDLE, MESSAGE));
  }

  @Test
  void aCompletedMessageStopsTheMessageClock() {
    Deadlines d = new Deadlines();
    d.message(true);
    d.message(false);
    assertNull(d.passed(after(MESSAGE), true, true, LOGIN, IDLE, MESSAGE));
  }

  @Test
  void aMessageIsTimedFromItsFirstByteNotFromItsLatest() throws InterruptedException {
    Deadlines d = new Deadlines();
    d.message(true);
    long firstByte = System.nanoTime();
    Thread.sleep(5);
    d.message(true); // more bytes of the same message
    assertEquals("a frame took too long to arrive", d.passed(firstByte + MESSAGE + TimeUnit.MILLISECONDS.toNanos(3),
        true, true, LOGIN, IDLE, MESSAGE));
  }

  @Test
  void noActivityForTheIdleTimeoutIsNamedAndActivityStartsItAgain() {
    Deadlines d = new Deadlines();
    long later = after(IDLE);
    assertEquals("idle for too long", d.passed(later, true, false, LOGIN, IDLE, MESSAGE));
    d.activity();
    assertNull(d.passed(System.nanoTime() + IDLE / 2, true, false, LOGIN, IDLE, MESSAGE));
  }
}
