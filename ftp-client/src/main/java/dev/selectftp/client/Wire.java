package dev.selectftp.client;

import dev.selectftp.client.tls.CertificateRefusal;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.FrameDecoder;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 *   <li>Reply frames are read into {@link #in}, a small direct buffer of our own, and cut by a
 *       {@link FrameDecoder}. Raw bytes may arrive in the same TCP segment as the frame before them; they
 *       stay in {@link #in} and {@link #readRaw} hands them out first. Raw reads never ask the transport for
 *       more than the bytes still due, so nothing after the raw stream is ever read into the transfer
 *       buffer, and that buffer holds no state between calls: it can be shared by all of a thread's wires.
 *       (Over TLS the transport reads whole records ahead from the socket, but keeps what it read ahead in
 *       its own per-connection buffers.)
 *   <li>Raw bytes are read from the socket into a direct transfer buffer ({@link #borrowTransferBuffer()},
 *       one per thread), which the caller hashes and writes to its file from the same memory; uploads read
 *       the file into it and write it to the socket. Request frames are queued in the direct {@link #out} buffer and leave with
 *       {@link #flush()}, or together with the first raw bytes in one gathering write.
 * </ul>
 *
 * <p><b>Read timeout.</b> A blocking {@code SocketChannel} ignores {@code SO_TIMEOUT}, so a shared daemon
 * thread (see {@link Watchdog}) enforces it: every blocking read (a reply frame or raw download bytes)
 * arms a deadline of {@code timeout} from its start, and the watchdog closes the channel of a wire whose
 * armed deadline passed. The blocked read then fails, and the wire reports a {@link SocketTimeoutException}
 * as {@code SO_TIMEOUT} did. As before, writes have no timeout of their own. A compare-and-set on the
 * deadline decides the race between a read that just returned and the watchdog, so a read that completed
 * in time is never failed. The deadline is checked every {@code timeout / 8} (at least 5 ms, at most 1 s),
 * so a timeout fires between {@code timeout} and {@code 1.125 x timeout} after the read began.
 *
 * <p><b>Abort.</b> {@link #abort()} closes the channel from any thread; a read or write blocked on it fails
 * at once with an {@link java.nio.channels.AsynchronousCloseException}. Blocking channel I/O is also
 * interruptible: interrupting the thread that waits on the wire closes the connection (the old socket
 * streams ignored interrupts).
 */
final class Wire implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(Wire.class);
  /** The one buffer every transfer reads and writes through. */
  static final int TRANSFER_BUFFER_BYTES = 256 * 1024;
  /** Reply frames are read through this much; longer frames are reassembled by the decoder. */
  private static final int FRAME_READ_BYTES = 16 * 1024;
  /** Queued request frames; a larger frame is written on its own. */
  private static final int FRAME_WRITE_BYTES = 8 * 1024;
  /** After these the server closes the connection itself. */
  private static final Set<ErrorCode> CLOSING_CODES = EnumSet.of(ErrorCode.BAD_FRAME,
      ErrorCode.FRAME_TOO_LARGE, ErrorCode.TIMEOUT, ErrorCode.TOO_MANY_CONNECTIONS, ErrorCode.SHUTTING_DOWN,
      ErrorCode.TLS_REQUIRED);
  /** Each thread's transfer buffer while it is not lent out. */
  private static final ThreadLocal<ByteBuffer> SPARE = new ThreadLocal<>();
  /** Deadline states besides a real {@link System#nanoTime()} deadline. */
  private static final long IDLE = Long.MIN_VALUE;
  private static final long EXPIRED = Long.MIN_VALUE + 1;

  private final SocketChannel channel;
  /** The bare socket until {@link #startTls}, then TLS over it. */
  private Transport transport;
  private final long timeoutNanos;
  private final String peer;
  /** Received bytes not yet consumed, in read mode (position to limit). */
  private final ByteBuffer in = ByteBuffer.allocateDirect(FRAME_READ_BYTES).flip();
  /** Queued request frames, in write mode. */
  private final ByteBuffer out = ByteBuffer.allocateDirect(FRAME_WRITE_BYTES);
  private final FrameDecoder decoder = new FrameDecoder();
  private IOException lostBecause;
  private boolean closed;
  /** Set by {@link #abort()} from any thread; the owning thread then finds the channel closed. */
  private volatile boolean aborted;
  /** The armed read's deadline, {@link #IDLE}, or {@link #EXPIRED} once the watchdog closed the channel. */
  private final AtomicLong deadline = new AtomicLong(IDLE);

  /**
   * @param channel a connected channel in blocking mode
   * @param timeoutMillis bounds every wait for bytes from the server; 0 waits forever
   */
  Wire(SocketChannel channel, long timeoutMillis) throws IOException {
    if (!channel.isBlocking()) throw new IllegalArgumentException("the channel must be in blocking mode");
    this.channel = channel;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.peer = String.valueOf(channel.getRemoteAddress());
    this.transport = new PlainTransport(channel, this::timedSocketRead);
    if (timeoutNanos > 0) Watchdog.INSTANCE.watch(this);
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
      while (true) {
        // The decoder checks the length before it allocates, and consumes all of `in` when it returns null.
        byte[] payload = decoder.next(in);
        if (payload != null) return MessageCodec.decodeResponse(payload);
        in.clear();
        int n = transport.read(in);
        in.flip();
        if (n < 0) {
          throw new EOFException(decoder.hasPartialFrame()
              ? "server closed the connection in the middle of a reply" : "server closed the connection");
        }
      }
    } catch (ProtocolException e) {
      throw lost(new IOException("server sent a malformed reply: " + e.getMessage(), e));
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /**
   * Lends the calling thread's direct transfer buffer ({@value #TRANSFER_BUFFER_BYTES} bytes), allocating
   * it on the thread's first transfer; give it back with {@link #giveBack}. Raw reads never leave state in
   * it (they read no further than the raw bytes due), so one buffer per thread serves every connection
   * that thread uses, and a session that only logs in and lists allocates none. A transfer started while
   * the thread's buffer is lent out (from a listener callback, say) gets a fresh one.
   */
  static ByteBuffer borrowTransferBuffer() {
    ByteBuffer spare = SPARE.get();
    if (spare == null) return ByteBuffer.allocateDirect(TRANSFER_BUFFER_BYTES);
    SPARE.set(null);
    return spare.clear();
  }

  static void giveBack(ByteBuffer buffer) {
    SPARE.set(buffer);
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
   * buffer from {@link #borrowTransferBuffer()}. The result is valid until the next call on this wire. A
   * stream that ends early loses the wire.
   */
  ByteBuffer readRaw(ByteBuffer buffer, long max) throws IOException {
    ensureUsable();
    if (max <= 0) throw new IllegalArgumentException("max " + max);
    try {
      if (in.hasRemaining()) {
        int take = (int) Math.min(in.remaining(), max);
        ByteBuffer head = in.slice(in.position(), take);
        in.position(in.position() + take);
        return head;
      }
      buffer.clear().limit((int) Math.min(buffer.capacity(), max));
      int n = transport.read(buffer);
      if (n < 0) throw new EOFException("server closed the connection in the middle of a download");
      return buffer.flip();
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
    if (decoder.hasPartialFrame()) throw lost(new IOException("server sent part of a frame before TLS"));
    int dropped = in.remaining();
    in.position(in.limit());
    if (dropped > 0) log.warn("dropped {} bytes {} sent after its start-tls reply", dropped, peer);
    try {
      transport = TlsTransport.handshake(channel, this::timedSocketRead, engine);
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

  /** One blocking socket read under the read deadline; a read the watchdog cut short is a timeout. */
  private int timedSocketRead(ByteBuffer into) throws IOException {
    if (timeoutNanos == 0) return channel.read(into);
    deadline.set(System.nanoTime() + timeoutNanos);
    int n;
    try {
      n = channel.read(into);
    } catch (IOException e) {
      if (deadline.getAndSet(IDLE) == EXPIRED) throw timeout(e);
      throw e;
    }
    // The watchdog may have won the race just after the read returned; it is closing the channel then.
    if (deadline.getAndSet(IDLE) == EXPIRED) throw timeout(null);
    return n;
  }

  private SocketTimeoutException timeout(IOException cause) {
    SocketTimeoutException e = new SocketTimeoutException(
        "no bytes from the server for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    if (cause != null) e.initCause(cause);
    return e;
  }

  /** Called by the watchdog: closes the channel when the armed deadline has passed. */
  private void expireIfDue(long now) {
    long due = deadline.get();
    if (due == IDLE || due == EXPIRED || now - due < 0) return;
    if (deadline.compareAndSet(due, EXPIRED)) {
      log.debug("no bytes from {} in time; closing", peer);
      closeQuietly();
    }
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
    Watchdog.INSTANCE.forget(this);
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing the channel failed", e);
    }
  }

  /**
   * The read timeout of every wire in this JVM: one daemon thread that wakes every tick and closes the
   * channel of each wire whose armed read deadline has passed. Costs a wire two atomic writes per read.
   */
  static final class Watchdog implements Runnable {
    // Compile-time constants, so that they are set before INSTANCE is built.
    private static final long MIN_TICK_NANOS = 5_000_000L;
    private static final long MAX_TICK_NANOS = 1_000_000_000L;
    static final Watchdog INSTANCE = new Watchdog();

    private final Set<Wire> wires = ConcurrentHashMap.newKeySet();
    private volatile long tickNanos = MAX_TICK_NANOS;
    private Thread thread;

    void watch(Wire wire) {
      long tick = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, wire.timeoutNanos / 8));
      synchronized (this) {
        if (tick < tickNanos) tickNanos = tick;
        wires.add(wire);
        if (thread == null) {
          thread = new Thread(this, "selectftp-read-timeouts");
          thread.setDaemon(true);
          thread.start();
        } else if (tick < MAX_TICK_NANOS) {
          LockSupport.unpark(thread);
        }
      }
    }

    void forget(Wire wire) {
      wires.remove(wire);
    }

    @Override
    public void run() {
      while (true) {
        LockSupport.parkNanos(this, tickNanos);
        long now = System.nanoTime();
        for (Wire wire : wires) wire.expireIfDue(now);
      }
    }
  }
}
