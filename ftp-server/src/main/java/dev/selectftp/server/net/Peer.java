package dev.selectftp.server.net;

import dev.selectftp.common.Response;

/** What a session may ask of its connection. All calls happen on the loop thread. */
public interface Peer {
  /** Queues a reply; it goes out after anything queued before it. */
  void send(Response response);

  /** Stops handing input to the session (bytes already read are kept) until {@link #resumeInput()}. */
  void pauseInput();

  /** Hands kept and new input to the session again. */
  void resumeInput();

  /** Once queued replies are written, keeps calling the session's {@code stream} until it is done. */
  void startStreaming();

  /** Writes what is queued, then closes. */
  void closeAfterFlush();

  /** The client's address, for logs and per-address limits. */
  String address();

  boolean isOpen();
}
