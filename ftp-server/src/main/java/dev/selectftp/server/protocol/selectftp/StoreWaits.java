package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Response;
import dev.selectftp.server.loop.Background.Result;
import dev.selectftp.server.protocol.selectftp.SessionState.AwaitingStore;
import dev.selectftp.server.protocol.selectftp.SessionState.Ready;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * How a logged-in SelectFTP session waits for a store call (each may be a network round trip): it enters
 * {@link AwaitingStore} with its input paused, the core runs the call off the loop, and the outcome is turned
 * into frames on the loop as it would have been at once; then input resumes, so pipelined requests are still
 * answered one after the other, in order.
 */
final class StoreWaits {
  private final Session session;
  private final Peer peer;

  StoreWaits(Session session, Peer peer) {
    this.session = session;
    this.peer = peer;
  }

  /** Turns the outcome into frames on the loop; a thrown refusal or failure is answered as the session would. */
  interface Then<T> {
    SessionState apply(T value, Exception failure) throws ProtocolException, IOException;
  }

  /** {@link #await(Ready, Consumer, Then, Consumer)} for an outcome that holds nothing to let go. */
  <T> SessionState await(Ready ready, Consumer<Result<T>> call, Then<T> then) {
    return await(ready, call, then, value -> { });
  }

  /**
   * Starts {@code call} (a store call answering the result it is given) with the session waiting, then {@code
   * then}; returns the state to be in now (the waiting state, or already the next one when the call answered at
   * once, as a refusal found on the loop).
   *
   * @param orphan what to do with the outcome (null after a failure) when it arrives after the session
   *     closed: close a file, end an upload
   */
  <T> SessionState await(Ready ready, Consumer<Result<T>> call, Then<T> then, Consumer<T> orphan) {
    AwaitingStore waiting = new AwaitingStore(ready.login());
    // Entered before the call: an outcome found at once is handled inside start(), like any other.
    session.moveTo(waiting);
    peer.pauseInput();
    call.accept((value, failure) -> {
      if (session.current() != waiting) { // closed meanwhile
        orphan.accept(value);
        return;
      }
      session.moveTo(ready);
      peer.resumeInput(); // takes effect after this callback, so whatever then() pauses stays paused
      SessionState next;
      try {
        next = then.apply(value, failure);
      } catch (ProtocolException e) {
        peer.send(Response.Error.of(e.code(), e.getMessage()));
        next = ready;
      } catch (IOException e) {
        peer.send(Failures.toError(e, peer.address()));
        next = ready;
      }
      session.moveTo(next);
    });
    return session.current();
  }

  /** The usual answer to a failure: a refusal as its error frame, anything else as {@link Failures} says. */
  static void rethrow(Exception failure, String address, String what) throws ProtocolException {
    if (failure instanceof Refused refused) throw Failures.toProtocol(refused);
    Response.Error error = Failures.toError(failure, address, what);
    throw new ProtocolException(error.errorCode(), error.message());
  }
}
