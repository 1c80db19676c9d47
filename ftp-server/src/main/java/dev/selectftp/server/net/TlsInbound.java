package dev.selectftp.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * What a {@link TlsTransport} received and has not handed out yet: bytes from the socket not yet unwrapped
 * ({@code netIn}: one partial or whole record, at most about one packet) and the decrypted surplus of one
 * record ({@code appIn}), handed out no faster than the reader asks. Each buffer exists only while it holds
 * bytes, so an idle connection holds none. Loop-thread confined; a handshake step borrows {@code netIn}
 * ({@link #lend}) and gives back what it left.
 */
final class TlsInbound {
  private final SocketChannel channel;
  private final SSLEngine engine;
  /** Bytes from the socket not yet unwrapped, ready to read; null when none. */
  private ByteBuffer netIn;
  /** {@code netIn} holds only part of a record: nothing more can be unwrapped before the socket brings more. */
  private boolean netInShort;
  /** Decrypted bytes not yet handed out, ready to read; null when none. */
  private ByteBuffer appIn;
  /** The peer finished sending (FIN or close_notify): reads return -1 from now on. */
  private boolean ended;

  TlsInbound(SocketChannel channel, SSLEngine engine) {
    this.channel = channel;
    this.engine = engine;
  }

  /**
   * Reads some bytes from the socket into {@code netIn} (allocated now if needed, one packet; grown when a
   * record does not fit); returns the bytes read, 0 when none are ready, -1 at the end of input (which then
   * counts as {@link #ended()}).
   */
  int readSocket() throws IOException {
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
    if (n < 0) ended = true;
    return n;
  }

  /** The engine found only part of a record: reads some more of it; returns as {@link #readSocket()}. */
  int readRestOfRecord() throws IOException {
    netInShort = true;
    return readSocket();
  }

  /** True when nothing received waits to be unwrapped. */
  boolean isEmpty() {
    return netIn == null;
  }

  /** True when the engine can take no record before the socket brings more bytes. */
  boolean needsSocket() {
    return netIn == null || netInShort;
  }

  /**
   * Unwraps some received bytes into {@code dst} and drops the buffer once it is used up; returns the
   * engine's result. Call only when not {@link #isEmpty()}.
   */
  SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
    SSLEngineResult r = engine.unwrap(netIn, dst);
    if (!netIn.hasRemaining()) {
      netIn = null;
      netInShort = false;
    }
    return r;
  }

  /** Hands the received bytes (or null) to a handshake step, whose own they are until it is back. */
  ByteBuffer lend() {
    ByteBuffer in = netIn;
    netIn = null;
    return in;
  }

  /** A handshake step is back with the received bytes it left ({@code inShort}: only part of a record). */
  void giveBack(ByteBuffer in, boolean inShort) {
    netIn = in;
    netInShort = inShort;
  }

  /** True while decrypted bytes wait to be handed out. */
  boolean hasSurplus() {
    return appIn != null;
  }

  /** Keeps what a record decrypted to (ready to read) beyond the reader's room, for the next reads. */
  void keepSurplus(ByteBuffer decrypted) {
    appIn = decrypted;
  }

  /** Moves some kept decrypted bytes into {@code into}; returns how many (at most its room). */
  int handOut(ByteBuffer into) {
    int n = Math.min(into.remaining(), appIn.remaining());
    into.put(appIn.slice(appIn.position(), n));
    appIn.position(appIn.position() + n);
    if (!appIn.hasRemaining()) appIn = null;
    return n;
  }

  /**
   * True when a read may return bytes without the socket: decrypted bytes wait, or (after the handshake,
   * {@code handshaking} false) received bytes the engine can take.
   */
  boolean hasBufferedInput(boolean handshaking) {
    return appIn != null || (netIn != null && !netInShort && !handshaking);
  }

  /** Marks the end of input; returns -1, what a read says then. */
  int end() {
    ended = true;
    return -1;
  }

  boolean ended() {
    return ended;
  }

  /** Heap held right now for received bytes. */
  long bufferedBytes() {
    return (netIn == null ? 0 : netIn.capacity()) + (appIn == null ? 0 : appIn.capacity());
  }

  /** Gives back buffers that hold nothing. */
  void trim() {
    if (netIn != null && !netIn.hasRemaining()) netIn = null;
    if (appIn != null && !appIn.hasRemaining()) appIn = null;
  }

  void clear() {
    netIn = null;
    appIn = null;
  }
}
