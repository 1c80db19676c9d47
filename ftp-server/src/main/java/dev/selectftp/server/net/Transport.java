package dev.selectftp.server.net;

import dev.selectftp.server.storage.ByteSink;
import java.io.IOException;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.EventLoop;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;

/**
 * What carries a connection's bytes over its socket: as they are ({@link PlainTransport}) or inside TLS
 * ({@link TlsTransport}). The connection speaks application bytes to it; it speaks the socket. Every call is
 * non-blocking and partial, and happens on the loop thread.
 */
public interface Transport extends ByteSink {
  /**
   * Reads some application bytes into {@code into}, never more than {@code into.remaining()}; returns how
   * many, 0 when none are ready now, -1 once the peer finished sending (FIN or close_notify).
   */
  int read(ByteBuffer into) throws IOException;

  /** Writes some bytes of {@code sources}, in order; returns how many were taken (0 when the socket is full). */
  long write(ByteBuffer[] sources) throws IOException;

  /** Writes what the transport holds of its own (encrypted records, handshake messages); true once none remain. */
  boolean flush() throws IOException;

  /** True while bytes of the transport's own wait for the socket. */
  boolean hasPendingOutput();

  /** True when application input is waiting inside the transport, so a read may return bytes without the socket. */
  boolean hasBufferedInput();

  /** True while the transport waits on work of its own (a handshake task off the loop): no reads until then. */
  boolean busy();

  /** True until application bytes can flow (a TLS handshake in progress). */
  boolean handshaking();

  /** Heap the transport holds right now (network and application buffers); 0 when idle. */
  long bufferedBytes();

  /** Gives back buffers that hold nothing, so an idle connection holds none. */
  void trim();

  /** The TLS channel binding (RFC 5929 tls-server-end-point) once the handshake is done; null in plain text. */
  byte[] channelBinding();

  /**
   * True when input ended with the socket's FIN but without the TLS close_notify that must precede it: the
   * peer's last bytes may have been cut off by someone on the path (a truncation attack). Never in plain text.
   */
  default boolean truncated() {
    return false;
  }

  /** Closes the socket (after a best-effort close_notify over TLS). Safe twice. */
  void close();

  /** Bytes as they are over {@code channel} (a connected, non-blocking socket). */
  static Transport plain(SocketChannel channel) {
    return new PlainTransport(channel);
  }

  /**
   * TLS, server side, over {@code channel} with {@code engine}; the handshake starts at once and its steps
   * run on {@code tasks}; {@code onTaskDone} runs on the loop when a step is back (serve the socket again).
   * {@code receiveOnly}: the peer only sends (an FTP upload), so what the server sends after the handshake
   * (TLS 1.3 session tickets) waits until it writes or closes; see {@link TlsTransport}'s constructor.
   */
  static Transport tls(SocketChannel channel, SSLEngine engine, EventLoop loop, Background tasks, String address,
      Runnable onTaskDone, boolean receiveOnly) {
    return new TlsTransport(channel, engine, loop, tasks, address, onTaskDone, receiveOnly);
  }
}
