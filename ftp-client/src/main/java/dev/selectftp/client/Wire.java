package dev.selectftp.client;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One blocking connection's framing: writes request frames and raw bytes, reads reply frames and raw
 * bytes. Once anything goes wrong below the protocol (an I/O error, a reply that makes no sense) the byte
 * stream can no longer be trusted, so the wire is marked lost and every later call fails fast. Not
 * thread-safe: one caller at a time.
 */
final class Wire implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(Wire.class);
  /** Buffers for the small frames; raw chunks larger than this bypass them. */
  private static final int STREAM_BUFFER_BYTES = 64 * 1024;
  /** After these the server closes the connection itself. */
  private static final Set<ErrorCode> CLOSING_CODES = EnumSet.of(ErrorCode.BAD_FRAME,
      ErrorCode.FRAME_TOO_LARGE, ErrorCode.TIMEOUT, ErrorCode.TOO_MANY_CONNECTIONS, ErrorCode.SHUTTING_DOWN);

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private IOException lostBecause;
  private boolean closed;
  /** Set by {@link #abort()} from any thread; the owning thread then finds the socket closed. */
  private volatile boolean aborted;

  Wire(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), STREAM_BUFFER_BYTES));
    this.out = new BufferedOutputStream(socket.getOutputStream(), STREAM_BUFFER_BYTES);
  }

  /** Queues one request frame; it leaves at the next {@link #flush()} or when the buffer fills. */
  void send(Request request) throws IOException {
    ensureUsable();
    ByteBuffer frame = MessageCodec.encode(request);
    try {
      out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
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
      int length = in.readInt();
      if (length < 0 || length > Frames.MAX_FRAME_BYTES) {
        throw new IOException("server sent a frame length of " + length);
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      return MessageCodec.decodeResponse(payload);
    } catch (ProtocolException e) {
      throw lost(new IOException("server sent a malformed reply: " + e.getMessage(), e));
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** Writes raw file bytes (after a {@code put-data} header); all {@code length} bytes or an exception. */
  void writeRaw(byte[] bytes, int length) throws IOException {
    ensureUsable();
    try {
      out.write(bytes, 0, length);
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /**
   * Reads up to {@code max} raw bytes (after a {@code get-ready} header) into {@code bytes}; returns at
   * least 1. A stream that ends early loses the wire.
   */
  int readRaw(byte[] bytes, int max) throws IOException {
    ensureUsable();
    try {
      int n = in.read(bytes, 0, max);
      if (n < 0) throw new IOException("server closed the connection in the middle of a download");
      return n;
    } catch (IOException e) {
      throw lost(e);
    }
  }

  void flush() throws IOException {
    ensureUsable();
    try {
      out.flush();
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /**
   * Marks the wire unusable (the byte stream is out of step or gone) and closes the socket; returns
   * {@code cause} so callers can {@code throw lost(e)}.
   */
  IOException lost(IOException cause) {
    if (lostBecause == null) {
      lostBecause = cause;
      log.warn("connection to {} lost: {}", socket.getRemoteSocketAddress(), cause.toString());
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
   * Closes the socket from any thread, so that a read or write blocked on it fails at once. Only the
   * volatile flag and {@link Socket#close()} (itself thread-safe) are touched here; the owning thread marks
   * the wire lost when its next call fails.
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
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing the socket failed", e);
    }
  }
}
