package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.server.loop.Background.Result;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.protocol.ftp.FtpState.Working;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a logged-in FTP session waits for a store call (each may be a network round trip): it enters
 * {@link Working} with its input paused, the core runs the call off the loop, and the outcome becomes the
 * reply it would have been at once (a refusal its reply code, an I/O failure 451); then input resumes, so
 * pipelined commands are still answered one after the other, in order.
 */
final class FtpStoreWaits {
  private static final Logger log = LoggerFactory.getLogger(FtpStoreWaits.class);

  private final FtpControl control;
  private final Peer peer;

  FtpStoreWaits(FtpControl control, Peer peer) {
    this.control = control;
    this.peer = peer;
  }

  /** Turns a value into replies on the loop; a thrown refusal or failure is answered as a command's would be. */
  interface Then<T> {
    FtpState apply(T value) throws Refused, IOException;
  }

  /** {@link #await(Ready, String, Consumer, Then, Consumer)} for an outcome that holds nothing to let go. */
  <T> FtpState await(Ready ready, String verb, Consumer<Result<T>> call, Then<T> then) {
    return await(ready, verb, call, then, value -> { });
  }

  /**
   * Starts {@code call} (a store call answering the result it is given) with the session waiting, then {@code
   * then} with its value; returns the state to be in now (waiting, or already the next one when the call answered
   * at once, as a refusal found on the loop).
   *
   * @param orphan what to do with a value that arrives after the connection closed (close a file)
   */
  <T> FtpState await(Ready ready, String verb, Consumer<Result<T>> call, Then<T> then, Consumer<T> orphan) {
    Working waiting = new Working(ready.login());
    // Entered before the call: an outcome found at once is handled inside start(), like any other.
    control.moveTo(waiting);
    peer.pauseInput();
    call.accept((value, failure) -> {
      if (control.current() != waiting) { // closed meanwhile
        if (value != null) orphan.accept(value);
        return;
      }
      control.moveTo(ready);
      peer.resumeInput(); // takes effect after this callback, so whatever then() pauses stays paused
      FtpState next = ready;
      try {
        if (failure != null) throw failure;
        next = then.apply(value);
      } catch (Refused refused) {
        control.reply(FtpReplies.codeOf(refused.code()), refused.getMessage());
      } catch (Exception e) {
        log.warn("{}: {} failed: {}", peer.address(), verb, LogText.of(e.toString()));
        control.reply(451, "server error; see the server log");
      }
      control.moveTo(next);
    });
    return control.current();
  }
}
