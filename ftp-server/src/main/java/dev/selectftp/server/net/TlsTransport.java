package dev.selectftp.server.net;

import dev.selectftp.common.ChannelBinding;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS (server side) over a non-blocking socket, with an {@link SSLEngine}. Records move on the loop
 * thread; the handshake's engine work (parsing, delegated tasks, signatures, key agreement and derivation)
 * runs in steps on helper threads, and the connection is re-armed when a step is back, so a burst of
 * handshakes costs the loop only socket reads and writes.
 *
 * <p>Memory: the network and application buffers exist only while they hold bytes and are given back by
 * {@link #trim()} once empty, so an idle TLS connection holds none. Kept input is bounded: one partial or
 * whole record in {@code netIn} (at most one packet) and the decrypted surplus of one record in
 * {@code appIn}, which is handed out no faster than the reader asks ({@link #read} never returns more than
 * its buffer's room).
 *
 * <p>Renegotiation is refused (a TLS 1.2 client asking for a new handshake is disconnected); TLS 1.3 key
 * updates are answered. A close_notify from the client reads as the end of input; closing sends one.
 */
final class TlsTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);
  /** Records wrapped per outgoing buffer: fewer, larger socket writes while a download streams. */
  private static final int RECORDS_PER_WRITE = 4;
  /** The most application bytes one TLS record carries (RFC 8446 section 5.1). */
  private static final int MAX_RECORD_PLAINTEXT = 16 * 1024;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SocketChannel channel;
  private final SSLEngine engine;
  private final EventLoop loop;
  private final Background tasks;
  private final String address;
  private final Runnable onTaskDone;
  /** Bytes from the socket not yet unwrapped, ready to read; null when none. */
  private ByteBuffer netIn;
  /** Encrypted bytes not yet written, ready to read; null when none. */
  private ByteBuffer netOut;
  /** Decrypted bytes not yet handed out, ready to read; null when none. */
  private ByteBuffer appIn;
  /** {@code netIn} holds only part of a record: nothing more can be unwrapped before the socket brings more. */
  private boolean netInShort;
  private boolean handshaking = true;
  /** A handshake step runs on a helper thread: the engine and the input it took are its own until it is back. */
  private boolean stepRunning;
  /** How the last step off the loop failed, thrown on the loop by the next read. */
  private SSLException stepFailure;
  private boolean inputDone;
  private boolean closed;
  private byte[] channelBinding;
  /** Hold what the handshake's last step produced until this side writes or closes (see the constructor). */
  private final boolean holdLastFlight;
  /** The held flight (TLS 1.3 session tickets), ready to read; null when none. */
  private ByteBuffer held;

  /**
   * @param onTaskDone runs on the loop when a handshake step is back, to serve the connection again
   */
  TlsTransport(SocketChannel channel, SSLEngine engine, EventLoop loop, Background tasks, String address,
      Runnable onTaskDone) {
    this(channel, engine, loop, tasks, address, onTaskDone, false);
  }

  /**
   * @param holdLastFlight for a peer that only sends (an FTP upload's data connection): what the server
   *     produces after the client's Finished (TLS 1.3 NewSessionTicket) is held back until this side next
   *     writes or closes. Such a client never reads, and unread bytes in its socket when it closes make its
   *     kernel answer with a reset, which destroys the upload's last bytes still waiting in our receive queue.
   *     Holding records back keeps their order (they were numbered when made); only their sending waits.
   */
  TlsTransport(SocketChannel channel, SSLEngine engine, EventLoop loop, Background tasks, String address,
      Runnable onTaskDone, boolean holdLastFlight) {
    this.holdLastFlight = holdLastFlight;
    this.channel = channel;
    this.engine = engine;
    this.loop = loop;
    this.tasks = tasks;
    this.address = address;
    this.onTaskDone = onTaskDone;
    engine.setUseClientMode(false);
    try {
      engine.beginHandshake();
    } catch (SSLException e) {
      throw new IllegalStateException("a fresh engine refused to start its handshake", e);
    }
  }

  @Override
  public int read(ByteBuffer into) throws IOException {
    if (appIn != null) return handOut(into);
    if (inputDone) return -1;
    if (handshaking) {
      if (!handshake()) return inputDone ? -1 : 0;
    }
    while (true) {
      if (netIn == null) {
        int n = readSocket();
        if (n < 0) return endOfInput();
        if (n == 0) return 0;
      }
      boolean direct = into.remaining() >= engine.getSession().getApplicationBufferSize();
      ByteBuffer dst = direct ? into : ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
      int before = dst.position();
      SSLEngineResult r = unwrap(dst);
      int produced = dst.position() - before;
      switch (r.getStatus()) {
        case OK -> {
          afterHandshakeMessage(r);
          if (produced > 0) {
            if (direct) return produced;
            appIn = dst.flip();
            return handOut(into);
          }
          // Never spin on the loop: a step that took nothing and gave nothing will not do better next time.
          if (r.bytesConsumed() == 0) throw new SSLException("TLS made no progress");
        }
        case BUFFER_UNDERFLOW -> {
          netInShort = true;
          int n = readSocket();
          if (n < 0) return endOfInput();
          if (n == 0) return 0;
        }
        case CLOSED -> {
          return endOfInput();
        }
        case BUFFER_OVERFLOW -> throw new SSLException("record larger than the application buffer");
      }
    }
  }

  private int handOut(ByteBuffer into) {
    int n = Math.min(into.remaining(), appIn.remaining());
    into.put(appIn.slice(appIn.position(), n));
    appIn.position(appIn.position() + n);
    if (!appIn.hasRemaining()) appIn = null;
    return n;
  }

  private int endOfInput() {
    inputDone = true;
    return -1;
  }

  /** A post-handshake message: a TLS 1.3 key update is answered; anything asking for a new handshake is refused. */
  private void afterHandshakeMessage(SSLEngineResult r) throws IOException {
    HandshakeStatus status = r.getHandshakeStatus();
    if (status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED) return;
    if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
      throw new SSLException("renegotiation refused");
    }
    if (status != HandshakeStatus.NEED_WRAP) throw new SSLException("unexpected handshake message: " + status);
    while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) wrapHandshake();
    flush();
  }

  /**
   * Advances the handshake: on the loop only socket reads happen; every engine step of the handshake
   * (parsing the client's messages, the delegated tasks, producing the server's flight: signatures, key
   * agreement, key derivation) runs on a helper thread while the connection waits ({@link #busy()}), and
   * the flight it produced is written by the connection's flush once it is back. True once finished.
   */
  private boolean handshake() throws IOException {
    if (stepRunning) return false;
    if (stepFailure != null) {
      SSLException failure = stepFailure;
      stepFailure = null;
      throw failure;
    }
    if (!handshaking) return true;
    HandshakeStatus status = engine.getHandshakeStatus();
    if ((status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN)
        && (netIn == null || netInShort)) {
      int n = readSocket();
      if (n < 0) {
        endOfInput();
        return false;
      }
      if (n == 0) return false;
    }
    step();
    return false;
  }

  private void step() {
    stepRunning = true;
    ByteBuffer in = netIn; // the helper owns it until the step is back
    netIn = null;
    tasks.run(() -> TlsHandshakeStep.run(engine, in, RECORDS_PER_WRITE), (result, failure) -> {
      stepRunning = false;
      if (closed) return;
      if (failure != null) {
        stepFailure = new SSLException("handshake step failed: " + failure);
      } else {
        netIn = result.in();
        netInShort = result.inShort();
        if (holdLastFlight && result.done() && result.failure() == null) {
          held = result.out();
        } else {
          queue(result.out());
        }
        if (result.failure() != null) stepFailure = result.failure();
        if (result.inputClosed()) inputDone = true;
        if (result.done()) finished();
      }
      onTaskDone.run();
    });
  }

  /** Appends a flight (ready to read) behind what already waits for the socket. */
  private void queue(ByteBuffer flight) {
    if (flight == null || !flight.hasRemaining()) return;
    if (netOut == null) {
      netOut = flight;
    } else {
      netOut = ByteBuffer.allocate(netOut.remaining() + flight.remaining()).put(netOut).put(flight).flip();
    }
  }

  private void finished() {
    handshaking = false;
    Certificate[] mine = engine.getSession().getLocalCertificates();
    if (mine != null && mine.length > 0 && mine[0] instanceof X509Certificate certificate) {
      try {
        channelBinding = ChannelBinding.tlsServerEndPoint(certificate);
      } catch (IllegalArgumentException e) {
        log.warn("{}: no channel binding for this certificate: {}", address, e.getMessage());
      }
    }
    log.debug("{}: TLS up: {} {}", address, engine.getSession().getProtocol(), engine.getSession().getCipherSuite());
  }

  /** What was held back goes out first, before any record made after it. */
  private void release() {
    if (held == null) return;
    ByteBuffer h = held;
    held = null;
    queue(h);
  }

  private void wrapHandshake() throws IOException {
    release();
    ByteBuffer out = netOutForWrap();
    SSLEngineResult r = engine.wrap(EMPTY, out);
    out.flip();
    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) throw new SSLException("handshake message too large");
    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
      flush();
      throw new SSLException("the handshake was refused");
    }
  }

  private SSLEngineResult unwrap(ByteBuffer dst) throws IOException {
    try {
      SSLEngineResult r = engine.unwrap(netIn, dst);
      if (!netIn.hasRemaining()) {
        netIn = null;
        netInShort = false;
      }
      return r;
    } catch (SSLException e) {
      sendAlert();
      throw e;
    }
  }

  /** After a failed unwrap the engine holds an alert for the peer: one best-effort write of it. */
  private void sendAlert() {
    release();
    try {
      engine.closeOutbound();
      ByteBuffer out = netOutForWrap();
      engine.wrap(EMPTY, out);
      out.flip();
      channel.write(out);
    } catch (IOException | RuntimeException e) {
      log.debug("{}: alert not delivered: {}", address, e.toString());
    }
    netOut = null;
  }

  /**
   * Reads from the socket into {@code netIn} (allocated now if needed, up to one packet); returns the bytes
   * read, 0 when none are ready, -1 at the end of input.
   */
  private int readSocket() throws IOException {
    int packet = engine.getSession().getPacketBufferSize();
    if (netIn == null) {
      netIn = ByteBuffer.allocate(packet);
    } else {
      netIn.compact();
      if (!netIn.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(packet, netIn.capacity() * 2));
        netIn = bigger.put(netIn.flip());
      }
    }
    int n = channel.read(netIn);
    if (n > 0) netInShort = false;
    netIn.flip();
    if (!netIn.hasRemaining()) netIn = null;
    return n;
  }

  /** {@code netOut} ready to be filled: new, or with what waits moved to its start. */
  private ByteBuffer netOutForWrap() {
    return netOutForWrap(1);
  }

  /** Like {@link #netOutForWrap()}; a new buffer has room for {@code records} records. */
  private ByteBuffer netOutForWrap(int records) {
    int needed = engine.getSession().getPacketBufferSize();
    if (netOut == null) {
      netOut = ByteBuffer.allocate(needed * records);
    } else {
      netOut.compact();
      if (netOut.remaining() < needed) {
        ByteBuffer bigger = ByteBuffer.allocate(netOut.capacity() + needed);
        netOut = bigger.put(netOut.flip());
      }
    }
    return netOut;
  }

  @Override
  public boolean flush() throws IOException {
    if (netOut == null) return true;
    channel.write(netOut);
    if (netOut.hasRemaining()) return false;
    netOut = null;
    return true;
  }

  @Override
  public long write(ByteBuffer[] sources) throws IOException {
    if (handshaking) return 0;
    release();
    if (!flush()) return 0;
    long taken = 0;
    while (hasRemaining(sources)) {
      // A reply needs one record's room; a stream gets several per socket write.
      ByteBuffer out = netOutForWrap((int) Math.min(RECORDS_PER_WRITE, 1 + remaining(sources) / MAX_RECORD_PLAINTEXT));
      int packet = engine.getSession().getPacketBufferSize();
      SSLEngineResult r = null;
      while (out.remaining() >= packet && hasRemaining(sources)) {
        r = engine.wrap(sources, out);
        taken += r.bytesConsumed();
        if (r.getStatus() != SSLEngineResult.Status.OK) break;
      }
      out.flip();
      if (r != null && r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("TLS closed");
      if (!flush()) break;
    }
    return taken;
  }

  private static long remaining(ByteBuffer[] sources) {
    long n = 0;
    for (ByteBuffer b : sources) n += b.remaining();
    return n;
  }

  private static boolean hasRemaining(ByteBuffer[] sources) {
    for (ByteBuffer b : sources) {
      if (b.hasRemaining()) return true;
    }
    return false;
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    return (int) write(new ByteBuffer[] {source});
  }

  /** Reads the file through the loop's scratch buffer and encrypts what the socket takes; the rest is read again next time. */
  @Override
  public long transferFrom(FileChannel file, long position, long count) throws IOException {
    if (handshaking) return 0;
    release();
    if (!flush()) return 0;
    ByteBuffer scratch = loop.scratch();
    scratch.limit((int) Math.min(scratch.capacity(), count));
    int read = file.read(scratch, position);
    if (read <= 0) throw new IOException("the file shrank while being sent");
    scratch.flip();
    return write(new ByteBuffer[] {scratch});
  }

  @Override
  public boolean hasPendingOutput() {
    return netOut != null;
  }

  @Override
  public boolean hasBufferedInput() {
    return appIn != null || (netIn != null && !netInShort && !handshaking);
  }

  @Override
  public boolean busy() {
    return stepRunning;
  }

  @Override
  public boolean handshaking() {
    return handshaking;
  }

  @Override
  public long bufferedBytes() {
    return capacity(netIn) + capacity(netOut) + capacity(appIn);
  }

  private static long capacity(ByteBuffer b) {
    return b == null ? 0 : b.capacity();
  }

  /** The buffers are already dropped when they empty; nothing else is held between events. */
  @Override
  public void trim() {
    if (netIn != null && !netIn.hasRemaining()) netIn = null;
    if (netOut != null && !netOut.hasRemaining()) netOut = null;
    if (appIn != null && !appIn.hasRemaining()) appIn = null;
  }

  /** Input ended (FIN) while the engine never saw the peer's close_notify. */
  @Override
  public boolean truncated() {
    return inputDone && !engine.isInboundDone();
  }

  @Override
  public byte[] channelBinding() {
    return channelBinding == null ? null : channelBinding.clone();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    if (!handshaking && channel.isOpen()) {
      try {
        release();
        engine.closeOutbound();
        if (flush()) {
          ByteBuffer out = netOutForWrap();
          engine.wrap(EMPTY, out);
          out.flip();
          channel.write(out); // best effort: a peer that does not read misses its close_notify
        }
      } catch (IOException | RuntimeException e) {
        log.debug("{}: close_notify not sent: {}", address, e.toString());
      }
    }
    netIn = null;
    netOut = null;
    appIn = null;
    held = null;
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("{}: close failed: {}", address, e.toString());
    }
  }
}
