package dev.selectftp.server.net;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** What a protocol handler may ask of its connection. All calls happen on the loop thread. */
public interface Peer {
  /** Queues bytes (the buffer is taken over, not copied); they go out after anything queued before them. */
  void send(ByteBuffer bytes);

  /** Stops handing input to the handler (bytes already read are kept) until {@link #resumeInput()}. */
  void pauseInput();

  /** Hands kept and new input to the handler again, in a later slice, never inside this call. */
  void resumeInput();

  /**
   * Bytes already read from the client and not yet handed to the handler (kept for a later slice, or
   * behind paused input): what the client sent before anything the handler sends now.
   */
  default int unhandledInputBytes() {
    return 0;
  }

  /** Once queued output is written, keeps calling the handler's {@code stream} until it is done. */
  void startStreaming();

  /** Writes what is queued, then closes. */
  void closeAfterFlush();

  /**
   * Upgrades to TLS (server side): once what is queued (the protocol's go-ahead) is written in plain text,
   * the handshake starts. Every byte already received and not yet handled is discarded now, so nothing sent
   * before the handshake is ever taken as coming over TLS (the STARTTLS injection class, CVE-2011-0411).
   *
   * @throws IllegalStateException when TLS is not configured or the connection is already upgrading or upgraded
   */
  void startTls();

  /**
   * Like {@link #startTls()}, with the engine made by {@code engine} (called on a helper thread) rather than
   * by the server's shared source: the FTP door's session gets an engine of its own {@code TlsFamily}.
   */
  default void startTls(java.util.function.Supplier<javax.net.ssl.SSLEngine> engine) {
    throw new UnsupportedOperationException("this peer upgrades with the server's engines only");
  }

  /** RFC 5929 tls-server-end-point of this connection's certificate once TLS is up; null in plain text. */
  byte[] channelBinding();

  /**
   * Counts as activity for the idle timeout: a door whose transfers run on sockets of their own (FTP's data
   * connections) calls it per slice, so a long transfer does not look like an idle control connection.
   */
  default void touch() {}

  /**
   * The address the client reached this server at (under a wildcard bind, one interface's), where FTP's
   * passive data connections listen and what PASV advertises. A peer not on a socket is on loopback.
   */
  default InetAddress localAddress() throws IOException {
    return InetAddress.getLoopbackAddress();
  }

  /** The client's address, for logs and per-address limits. */
  String address();

  boolean isOpen();
}
