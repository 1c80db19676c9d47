package dev.selectftp.client;

import dev.selectftp.client.tls.CertificateRefusal;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One blocking connection's framing: writes request frames and raw bytes, reads reply frames and raw
 * bytes. Once anything goes wrong below the protocol (an I/O error, a reply that makes no sense) the byte
 * stream can no longer be trusted, so the wire is marked lost and every later call fails fast. Not
 * thread-safe: one caller at a time, except {@link #abort()}.
 *
 * <p><b>No hidden copies.</b> The connection is a blocking {@link SocketChannel}, read and written through
 * direct buffers only, so the JDK moves bytes straight between the kernel and these buffers. After
 * {@link #startTls} the same holds one layer up: {@link TlsTransport} decrypts records straight into these
 * buffers and keeps ciphertext, and any plain bytes it read ahead, in buffers of its own:
 *
 * <ul>
 *   <li>Reply frames are read by a {@link FrameReader} into a small direct buffer of its own. Raw bytes
 *       may arrive in the same TCP segment as the frame before them; they stay there and {@link #readRaw}
 *       hands them out first. Raw reads never ask the transport for
 *       more than the bytes still due, so nothing after the raw stream is ever read into the transfer
 *       buffer, and that buffer holds no state between calls: it can be shared by all of a thread's wires.
 *       (Over TLS the transport reads whole records ahead from the socket, but keeps what it read ahead in
 *       its own per-connection buffers.)
 *   <li>Raw bytes are read from the socket into a direct transfer buffer ({@link TransferBuffers#borrow()},
 *       one per thread), which the caller hashes and writes to its file from the same memory; uploads read
 *       the file into it and write it to the socket. Request frames are queued in the direct {@link #out} buffer and leave with
 *       {@link #flush()}, or together with the first raw bytes in one gathering write.
 * </ul>
 *
 * <p><b>Read timeout.</b> Every blocking socket read (a reply frame or raw download bytes) goes through a
 * {@link ReadDeadline}: one that waits longer than the timeout fails with a {@link SocketTimeoutException},
 * as {@code SO_TIMEOUT} did. Writes have no timeout of their own.
 *
 * <p><b>Abort.</b> {@link #abort()} closes the channel from any thread; a read or write blocked on it fails
 * at once with an {@link java.nio.channels.AsynchronousCloseException}. Blocking channel I/O is also
 * interruptible: interrupting the thread that waits on the wire closes the connection (the old socket
 * streams ignored interrupts).
 */
final class Wire implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(Wire.class);
  /** Queued request frames; a larger frame is written on its own. */
  private static final int FRAME_WRITE_BYTES = 8 * 1024;
  /** After these the server closes the connection itself. */
  private static final Set<ErrorCode> CLOSING_CODES = EnumSet.of(ErrorCode.BAD_FRAME,
      ErrorCode.FRAME_TOO_LARGE, ErrorCode.TIMEOUT, ErrorCode.TOO_MANY_CONNECTIONS, ErrorCode.SHUTTING_DOWN,
      ErrorCode.TLS_REQUIRED);

  private final SocketChannel channel;
  /** The bare socket until {@link #startTls}, then TLS over it. */
  private Transport transport;
  private final ReadDeadline deadline;
  private final String peer;
  /** Queued request frames, in write mode. */
  private final ByteBuffer out = ByteBuffer.allocateDirect(FRAME_WRITE_BYTES);
  private final FrameReader reader = new FrameReader();
  private IOException lostBecause;
  private boolean closed;
  /** Set by {@link #abort()} from any thread; the owning thread then finds the channel closed. */
  private volatile boolean aborted;

  /**
   * @param channel a connected channel in blocking mode
   * @param timeoutMillis bounds every wait for bytes from the server; 0 waits forever
   */
  Wire(SocketChannel channel, long timeoutMillis) throws IOException {
    if (!channel.isBlocking()) throw new IllegalArgumentException("the channel must be in blocking mode");
    this.channel = channel;
    this.peer = String.valueOf(channel.getRemoteAddress());
    this.deadline = new ReadDeadline(channel, timeoutMillis, peer, this::closeQuietly);
    this.transport = new PlainTransport(channel, deadline::read);
    deadline.watch();
  }

  /** Queues one request frame; it leaves at the next {@link #flush()}, raw write, or when the queue fills. */
  void send(Request request) throws IOException {
    ensureUsable();
    ByteBuffer frame = MessageCodec.encode(request);
    try {
      if (frame.remaining() > out.remaining()) flushQueued();
      if (frame.remaining() > out.remaining()) {
        writeFully(frame);
      } else {
        out.put(frame);
      }
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** Sends one request and waits for a reply of type {@code expected}. */
  <T extends Response> T call(Request request, Class<T> expected) throws IOException {
    send(request);
    flush();
    return expect(expected);
  }

  /**
   * Reads the next reply. An {@code error} reply becomes an {@link FtpException}; any other type than
   * {@code expected} means client and server disagree about the conversation, so the wire is lost.
   */
  <T extends Response> T expect(Class<T> expected) throws IOException {
    Response reply = read();
    if (reply instanceof Response.Error error) {
      if (CLOSING_CODES.contains(error.errorCode())) {
        lost(new IOException("server closed the connection: " + error.message()));
      }
      throw new FtpException(error.errorCode(), error.message());
    }
    if (!expected.isInstance(reply)) {
      throw lost(new IOException("server sent " + reply.getClass().getSimpleName() + " where "
          + expected.getSimpleName() + " was expected"));
    }
    return expected.cast(reply);
  }

  private Response read() throws IOException {
    ensureUsable();
    try {
      return reader.next(transport);
    } catch (ProtocolException e) {
      throw lost(new IOException("server sent a malformed reply: " + e.getMessage(), e));
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /**
   * Writes the raw file bytes between {@code bytes}' position and limit (after a {@code put-data} header,
   * which leaves in the same gathering write when it is still queued); all of them or an exception.
   */
  void writeRaw(ByteBuffer bytes) throws IOException {
    ensureUsable();
    try {
      if (out.position() > 0) {
        out.flip();
        transport.write(out, bytes);
        out.clear();
      } else {
        writeFully(bytes);
      }
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /**
   * Reads raw bytes (after a {@code get-ready} header), at least 1 and at most {@code max}, and returns
   * them between the returned buffer's position and limit. They are either bytes that came in with the
   * last reply frame (a view of the frame buffer) or bytes read straight into {@code buffer}, a direct
   * buffer from {@link TransferBuffers#borrow()}. The result is valid until the next call on this wire. A
   * stream that ends early loses the wire.
   */
  ByteBuffer readRaw(ByteBuffer buffer, long max) throws IOException {
    ensureUsable();
    if (max <= 0) throw new IllegalArgumentException("max " + max);
    try {
      return reader.raw(transport, buffer, max);
    } catch (IOException e) {
      throw lost(e);
    }
  }

  void flush() throws IOException {
    ensureUsable();
    try {
      flushQueued();
    } catch (IOException e) {
      throw lost(e);
    }
  }

  private void flushQueued() throws IOException {
    if (out.position() == 0) return;
    out.flip();
    writeFully(out);
    out.clear();
  }

  private void writeFully(ByteBuffer bytes) throws IOException {
    transport.write(bytes);
  }

  /**
   * Upgrades the connection to TLS right after the server's {@code start-tls} reply: whatever the server
   * sent after that reply is dropped unread (it came before the handshake, so it is neither a reply nor
   * TLS: the STARTTLS injection class, CVE-2011-0411), then the handshake runs on the same socket under the
   * read timeout. Every later frame and raw byte goes through TLS.
   *
   * @throws IOException when the handshake fails, the server's certificate being refused included; the
   *     wire is lost then
   */
  void startTls(SSLEngine engine) throws IOException {
    ensureUsable();
    if (out.position() > 0) throw new IllegalStateException("requests are queued before the TLS handshake");
    if (reader.hasPartialFrame()) throw lost(new IOException("server sent part of a frame before TLS"));
    int dropped = reader.dropBuffered();
    if (dropped > 0) log.warn("dropped {} bytes {} sent after its start-tls reply", dropped, peer);
    try {
      transport = TlsTransport.handshake(channel, deadline::read, engine);
    } catch (SSLException e) {
      // The user gets one line: ours when the certificate was refused, the JDK's reason otherwise.
      CertificateRefusal refusal = CertificateRefusal.in(e);
      throw lost(new SSLException(refusal != null ? refusal.getMessage()
          : "TLS handshake with " + peer + " failed: " + e.getMessage(), e));
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** The server certificate's {@code tls-server-end-point} data once TLS is up, else null. */
  byte[] channelBinding() {
    return transport.channelBinding();
  }

  /**
   * Marks the wire unusable (the byte stream is out of step or gone) and closes the channel; returns
   * {@code cause} so callers can {@code throw lost(e)}.
   */
  IOException lost(IOException cause) {
    if (lostBecause == null) {
      lostBecause = cause;
      log.warn("connection to {} lost: {}", peer, cause.toString());
      closeQuietly();
    }
    return cause;
  }

  boolean usable() {
    return !closed && !aborted && lostBecause == null;
  }

  private void ensureUsable() throws IOException {
    if (aborted && lostBecause == null) lost(new IOException("aborted"));
    if (lostBecause != null) {
      throw new IOException("connection lost (" + lostBecause.getMessage() + ")", lostBecause);
    }
    if (closed) throw new IOException("connection closed");
  }

  /**
   * Closes the channel from any thread, so that a read or write blocked on it fails at once. Only the
   * volatile flag and {@link SocketChannel#close()} (itself thread-safe) are touched here; the owning thread
   * marks the wire lost when its next call fails.
   */
  void abort() {
    aborted = true;
    closeQuietly();
  }

  boolean aborted() {
    return aborted;
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly();
  }

  private void closeQuietly() {
    deadline.forget();
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing the channel failed", e);
    }
  }
}
