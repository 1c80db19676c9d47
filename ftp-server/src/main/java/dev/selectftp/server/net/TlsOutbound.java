package dev.selectftp.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link TlsTransport} sends: records are wrapped here, and those the socket has not taken yet wait in
 * {@code netOut}, which exists only while it holds bytes. A flight can be held back ({@link #hold}: TLS 1.3
 * session tickets for a peer that only sends, see {@link TlsTransport}'s constructor); it goes out before
 * any record made after it, so order is kept. Loop-thread confined.
 */
final class TlsOutbound {
  /** Logs under the transport's name: one name for one connection's TLS in the log. */
  private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);
  /** Records wrapped per outgoing buffer: fewer, larger socket writes while a download streams. */
  static final int RECORDS_PER_WRITE = 4;
  /** The most application bytes one TLS record carries (RFC 8446 section 5.1). */
  private static final int MAX_RECORD_PLAINTEXT = 16 * 1024;

  private final SocketChannel channel;
  private final SSLEngine engine;
  private final String address;
  /** Encrypted bytes not yet written, ready to read; null when none. */
  private ByteBuffer netOut;
  /** The held flight (TLS 1.3 session tickets), ready to read; null when none. */
  private ByteBuffer held;

  TlsOutbound(SocketChannel channel, SSLEngine engine, String address) {
    this.channel = channel;
    this.engine = engine;
    this.address = address;
  }

  /** Appends a flight (ready to read, or null) behind what already waits for the socket. */
  void queue(ByteBuffer flight) {
    if (flight == null || !flight.hasRemaining()) return;
    if (netOut == null) {
      netOut = flight;
    } else {
      netOut = ByteBuffer.allocate(netOut.remaining() + flight.remaining()).put(netOut).put(flight).flip();
    }
  }

  /**
   * Keeps {@code flight} (ready to read, or null) back until this side next writes or closes. It is copied to
   * its own size: the engine's packet buffer is tens of KiB for a few hundred bytes of tickets, and a held
   * flight stays for a whole upload.
   */
  void hold(ByteBuffer flight) {
    held = flight == null ? null : ByteBuffer.allocate(flight.remaining()).put(flight).flip();
  }

  /** What was held back goes out first, before any record made after it. */
  private void release() {
    if (held == null) return;
    ByteBuffer h = held;
    held = null;
    queue(h);
  }

  /** Writes some of the records waiting for the socket; returns true once none remain. */
  boolean flush() throws IOException {
    if (netOut == null) return true;
    channel.write(netOut);
    if (netOut.hasRemaining()) return false;
    netOut = null;
    return true;
  }

  /**
   * Releases the held flight and writes some of what waits; returns true once the socket took all of it,
   * so that new records may follow.
   */
  boolean ready() throws IOException {
    release();
    return flush();
  }

  boolean hasPending() {
    return netOut != null;
  }

  /**
   * Encrypts some bytes of {@code sources}, in order, and writes the records; returns how many application
   * bytes were taken: 0 while earlier records still wait for the socket. Records made that the socket did
   * not take wait in {@code netOut}, and no more are made until they are written.
   */
  long wrap(ByteBuffer[] sources) throws IOException {
    if (!ready()) return 0;
    long taken = 0;
    while (hasRemaining(sources)) {
      // A reply needs one record's room; a stream gets several per socket write.
      ByteBuffer out = room((int) Math.min(RECORDS_PER_WRITE, 1 + remaining(sources) / MAX_RECORD_PLAINTEXT));
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

  /** Wraps the engine's next handshake message (after the handshake: a key update's answer) behind what waits. */
  void wrapHandshake() throws IOException {
    release();
    ByteBuffer out = room(1);
    SSLEngineResult r = engine.wrap(TlsHandshakeStep.EMPTY, out);
    out.flip();
    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) throw new SSLException("handshake message too large");
    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
      flush();
      throw new SSLException("the handshake was refused");
    }
  }

  /** After a failed unwrap the engine holds an alert for the peer: one best-effort write of it; nothing is kept. */
  void sendAlert() {
    release();
    try {
      engine.closeOutbound();
      writeClosingRecord();
    } catch (IOException | RuntimeException e) {
      log.debug("{}: alert not delivered: {}", address, e.toString());
    }
    netOut = null;
  }

  /** Closing: what waits, then close_notify, best effort (a peer that does not read misses its close_notify). */
  void sendCloseNotify() {
    try {
      release();
      engine.closeOutbound();
      if (flush()) writeClosingRecord();
    } catch (IOException | RuntimeException e) {
      log.debug("{}: close_notify not sent: {}", address, e.toString());
    }
  }

  /** Wraps the record the closed engine ends with (an alert or close_notify) behind what waits; one write. */
  private void writeClosingRecord() throws IOException {
    ByteBuffer out = room(1);
    engine.wrap(TlsHandshakeStep.EMPTY, out);
    out.flip();
    channel.write(out);
  }

  /**
   * {@code netOut} ready to be filled with at least one packet's room: new (room for {@code records}
   * records), or with what waits moved to its start and grown by one packet when short.
   */
  private ByteBuffer room(int records) {
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

  /** Heap held right now for outgoing records, the held flight included. */
  long bufferedBytes() {
    return (netOut == null ? 0 : netOut.capacity()) + (held == null ? 0 : held.capacity());
  }

  /** Gives back the buffer once it holds nothing. */
  void trim() {
    if (netOut != null && !netOut.hasRemaining()) netOut = null;
  }

  void clear() {
    netOut = null;
    held = null;
  }
}
