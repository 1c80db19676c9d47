package dev.selectftp.client;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a {@link Wire} reads and writes through: the bare socket, or TLS over it. Blocking; one caller at a
 * time. Implementations never read from the socket except through the wire's timed read, so every wait for
 * the server stays under the wire's read timeout.
 */
interface Transport {
  /**
   * Reads at least one byte into {@code dst} (which has room), blocking until some arrive; returns how many,
   * or -1 when the server closed the connection.
   */
  int read(ByteBuffer dst) throws IOException;

  /** Writes every remaining byte of {@code srcs}, in order; all of them or an exception. */
  void write(ByteBuffer... srcs) throws IOException;

  /** The {@code tls-server-end-point} data of the server's certificate (RFC 5929), or null over plain text. */
  byte[] channelBinding();

  /** One blocking read from the socket under the wire's read deadline: -1 at the end of the stream. */
  @FunctionalInterface
  interface SocketReads {
    int read(ByteBuffer into) throws IOException;
  }
}
