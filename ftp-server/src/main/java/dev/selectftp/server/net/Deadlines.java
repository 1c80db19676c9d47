package dev.selectftp.server.net;

/**
 * The deadlines of one {@link Connection}, on the monotonic clock: the login (counted from the connection's
 * opening), the idle time (from the last bytes moved either way, or a {@link Peer#touch()}), and a message
 * begun but not complete ({@link ConnectionLimits#FRAME_TIMEOUT}: slowloris). Loop-thread confined.
 */
final class Deadlines {
  private final long openedNanos = System.nanoTime();
  private long lastActivityNanos = openedNanos;
  /** When the handler's current message began to arrive, or 0 when it is between messages. */
  private long messageStartedNanos;

  /** Bytes moved, or the door says work goes on elsewhere: the idle time starts again. */
  void activity() {
    lastActivityNanos = System.nanoTime();
  }

  /** After the handler took input: a message is timed from its first byte until it is complete. */
  void message(boolean midMessage) {
    if (midMessage) {
      if (messageStartedNanos == 0) messageStartedNanos = System.nanoTime();
    } else {
      messageStartedNanos = 0;
    }
  }

  /**
   * Which deadline has passed at {@code nowNanos}, as the reason to give, or null when none has.
   *
   * @param messageAwaited the handler is in the middle of a message and the connection is ready to read the
   *     rest: a message held up by the server's own back-pressure is not the client's delay
   */
  String passed(long nowNanos, boolean loggedIn, boolean messageAwaited, long loginTimeoutNanos,
      long idleTimeoutNanos, long messageTimeoutNanos) {
    if (!loggedIn && nowNanos - openedNanos > loginTimeoutNanos) return "no login within the login timeout";
    if (messageStartedNanos != 0 && messageAwaited && nowNanos - messageStartedNanos > messageTimeoutNanos) {
      return "a frame took too long to arrive";
    }
    if (nowNanos - lastActivityNanos > idleTimeoutNanos) return "idle for too long";
    return null;
  }
}
