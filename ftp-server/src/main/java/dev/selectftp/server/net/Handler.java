package dev.selectftp.server.net;

import dev.selectftp.server.storage.ByteSink;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The protocol side of a connection: it receives bytes and writes bytes through its {@link Peer}. The
 * connection knows no message format; the handler tells it what it needs to keep its promises (how much to
 * read, what counts as a request, whether a message is half-arrived, what to say when closing).
 */
public interface Handler {
  /** The connection is registered; typically sends a greeting. */
  void onOpen();

  /**
   * Consumes some bytes of {@code source} and handles at most one request; returns true when it handled a
   * request (which counts against the connection's {@link ConnectionLimits#REQUESTS_PER_SLICE}), false when
   * it only consumed bytes (a partial message, file bytes) or took none because it wants no more now. Bytes
   * left in {@code source} are offered again later.
   */
  boolean onInput(ByteBuffer source);

  /**
   * The most bytes the next read may bring (at least 1). The connection never reads more, so after an
   * upload's last byte it holds nothing of what follows, and a kept tail is at most one such read.
   */
  int readWindow();

  /** True while a message has begun to arrive but is incomplete; the connection times how long that lasts. */
  boolean midMessage();

  /** Heap the handler holds for a partial message (0 when none). */
  long bufferedBytes();

  /**
   * Writes some bytes of a stream in progress to {@code out}; returns true while more remain. Called only
   * after {@link Peer#startStreaming()} and only when no output is queued ahead of the stream.
   */
  boolean stream(ByteSink out) throws IOException;

  /**
   * True while a request read before the client's FIN is still being answered by work outside this
   * connection (an FTP transfer on its data connection): a half-closed connection waits for that answer
   * before it closes. A transfer over the connection itself (a SelectFTP upload) does not count: its FIN
   * cuts it.
   */
  default boolean answerPending() {
    return false;
  }

  /** True while a transfer is in flight, which a graceful shutdown lets finish. */
  boolean isTransferring();

  /** Whether the session has logged in, for the login timeout and the per-connection caps. */
  boolean isLoggedIn();

  /** The server is shutting down: send the protocol's last words; the connection closes once they are out. */
  void onShutdown();

  /** A deadline passed ({@code reason} says which): send the protocol's last words; the connection then closes. */
  void onTimeout(String reason);

  /** The connection is gone (either side); release everything. Called once. */
  void onClose();
}
