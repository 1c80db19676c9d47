package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.net.Peer;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The commands a transfer holds back on one FTP control connection, so the replies follow the order the client
 * sent in. A command read while a transfer runs waits for the transfer's final reply, with input paused behind
 * it; only NOOP and STAT read after the 150 and ABOR while it can still cut the data connection are answered
 * at once. A command read before the 150 went out is held whatever it is, even when its slice comes after a
 * helper's 150 (LIST and NOOP in one write: always 150, 226, 200). Loop-thread confined.
 */
final class CommandHold {
  private final Peer peer;
  /** True once the transfer's 150 is out: NOOP and STAT are answered at once from then on. */
  private final BooleanSupplier announced;
  /** True while ABOR can still cut the transfer's data connection. */
  private final BooleanSupplier abortable;
  /** A command that came during a transfer and waits for its final reply (input is paused behind it). */
  private String held;
  /** The input the connection is handling now, so a 150 sent meanwhile knows what was read before it. */
  private ByteBuffer reading;
  /**
   * Bytes read before the transfer's 150 went out and not yet handled: a command among them is held like
   * any other, whenever its slice comes (see {@link #transferAnnounced}).
   */
  private int readBefore150;

  CommandHold(Peer peer, BooleanSupplier announced, BooleanSupplier abortable) {
    this.peer = peer;
    this.announced = announced;
    this.abortable = abortable;
  }

  /**
   * {@code bytes} of input were consumed for the next line.
   *
   * @return true when that line ended among the bytes read before the 150 (kept input comes first)
   */
  boolean consumed(int bytes) {
    boolean early = readBefore150 > 0;
    readBefore150 = Math.max(0, readBefore150 - bytes);
    return early;
  }

  /**
   * During a transfer: holds {@code text} until the final reply and pauses input, unless it is a command
   * answered at once (never one read before the 150, {@code early}).
   *
   * @return true when held
   */
  boolean holds(String text, boolean early) {
    if (!early && answeredDuringTransfer(text)) return false;
    held = text;
    peer.pauseInput();
    return true;
  }

  /**
   * What a transfer does not hold back when read after its 150: ABOR while it can still cut the data
   * connection, STAT without a path, and NOOP (a keep-alive). QUIT is held: RFC 959 has the server send the
   * transfer's result first, then 221 and close.
   */
  private boolean answeredDuringTransfer(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    return switch (t) {
      case "NOOP", "STAT" -> announced.getAsBoolean();
      case "ABOR" -> abortable.getAsBoolean();
      default -> false;
    };
  }

  /** Runs {@code command}, read from {@code source}, so a 150 it sends knows what input is still unhandled. */
  void whileReading(ByteBuffer source, Runnable command) {
    reading = source;
    try {
      command.run();
    } finally {
      reading = null;
    }
  }

  /**
   * The transfer's 150 is out. Commands read before it are held until the final reply, NOOP, STAT and ABOR
   * too, even when their slice comes after a helper's 150: the replies' order follows what the client sent,
   * not the loop's timing (LIST and NOOP in one write: always 150, 226, 200).
   */
  void transferAnnounced() {
    readBefore150 = reading != null ? reading.remaining() : peer.unhandledInputBytes();
  }

  /** Has the connection look at its input again, unless a held command keeps it paused until the final reply. */
  void wakeInput() {
    if (held == null) peer.resumeInput();
  }

  /**
   * The transfer's final reply is out: input resumes, and the held command, if any, is returned to run now,
   * ahead of anything read after it.
   */
  String release() {
    String next = held;
    held = null;
    readBefore150 = 0; // the rule is for this transfer only; the held command may begin the next one
    peer.resumeInput();
    return next;
  }
}
