package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.Response;

/**
 * What a SelectFTP session may ask of its connection: replies as messages, flow control, the TLS upgrade.
 * {@link Framing} turns it into bytes on a {@link dev.selectftp.server.net.Peer}. All calls happen on the
 * loop thread.
 */
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

  /**
   * After the {@code start-tls} reply is queued: discards every byte received after the {@code start-tls}
   * frame and starts the TLS handshake once the reply is out.
   */
  default void startTls() {
    throw new IllegalStateException("TLS is not available on this connection");
  }

  /** RFC 5929 tls-server-end-point of the server's certificate once TLS is up; null in plain text. */
  default byte[] channelBinding() {
    return null;
  }

  /** The client's address, for logs and per-address limits. */
  String address();

  boolean isOpen();
}
