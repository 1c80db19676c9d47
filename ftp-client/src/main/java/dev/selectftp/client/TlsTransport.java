package dev.selectftp.client;

import dev.selectftp.common.ChannelBinding;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS over the wire's blocking socket through an {@link SSLEngine}, keeping the wire's direct buffers:
 * records are decrypted straight into the caller's buffer when it has room for a whole record (a download's
 * 256 KiB transfer buffer always has), and only smaller reads (reply frames, the last bytes of a download)
 * go through {@link #plain}. Up to {@value #RECORDS_PER_IO} records are read or written per system call.
 *
 * <p>Decrypted bytes the caller did not ask for stay in {@link #plain} and ciphertext not yet decrypted in
 * {@link #cipherIn}; both belong to this connection only, so the wire's "nothing after the raw stream lands
 * in the shared transfer buffer" still holds. No {@code close_notify} is sent or required: every reply and
 * every raw stream has its own length, so a cut connection is already detected, and a close never blocks.
 */
final class TlsTransport implements Transport {
  /** How many TLS records one socket read or write may carry. */
  static final int RECORDS_PER_IO = 4;
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private final SocketChannel channel;
  private final SocketReads reads;
  private final SSLEngine engine;
  /** Received ciphertext not yet decrypted, in write mode. */
  private ByteBuffer cipherIn;
  /** Ciphertext to send, in write mode (empty between calls). */
  private ByteBuffer cipherOut;
  /** Decrypted bytes not yet handed out, in read mode. */
  private ByteBuffer plain;
  private byte[] channelBinding;
  private boolean inboundDone;

  private TlsTransport(SocketChannel channel, SocketReads reads, SSLEngine engine) {
    this.channel = channel;
    this.reads = reads;
    this.engine = engine;
    int packet = engine.getSession().getPacketBufferSize();
    this.cipherIn = ByteBuffer.allocateDirect(packet * RECORDS_PER_IO);
    this.cipherOut = ByteBuffer.allocateDirect(packet * RECORDS_PER_IO);
    this.plain = ByteBuffer.allocateDirect(engine.getSession().getApplicationBufferSize()).flip();
  }

  /**
   * Runs the client's TLS handshake over {@code channel} (blocking) and returns the transport once the
   * server's certificate was accepted by the engine's trust manager.
   *
   * @throws SSLException when the handshake fails (the certificate was refused, no common protocol, ...);
   *     the alert, if any, has been sent
   */
  static TlsTransport handshake(SocketChannel channel, SocketReads reads, SSLEngine engine) throws IOException {
    TlsTransport tls = new TlsTransport(channel, reads, engine);
    try {
      tls.runHandshake();
    } catch (SSLException e) {
      tls.sendAlertQuietly();
      throw e;
    }
    tls.channelBinding = bindingOf(engine);
    return tls;
  }

  private void runHandshake() throws IOException {
    engine.beginHandshake();
    HandshakeStatus status = engine.getHandshakeStatus();
    while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
      switch (status) {
        case NEED_WRAP -> status = wrapAndSend(NOTHING);
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          SSLEngineResult result = unwrapInto(null);
          if (result == null) {
            if (readCiphertext() < 0) throw new EOFException("the server closed the connection during the TLS handshake");
            status = engine.getHandshakeStatus();
          } else {
            status = result.getHandshakeStatus();
          }
        }
        case NEED_TASK -> {
          for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
          status = engine.getHandshakeStatus();
        }
        default -> throw new SSLException("unexpected handshake state " + status);
      }
    }
  }

  private static byte[] bindingOf(SSLEngine engine) throws SSLPeerUnverifiedException {
    Certificate[] chain = engine.getSession().getPeerCertificates();
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new SSLPeerUnverifiedException("the server sent no X.509 certificate");
    }
    try {
      return ChannelBinding.tlsServerEndPoint(leaf);
    } catch (IllegalArgumentException e) {
      // Ed25519 and the like: RFC 5929 defines no binding, so a login over this channel cannot be bound.
      throw new SSLPeerUnverifiedException("the server's certificate allows no channel binding: " + e.getMessage());
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    while (true) {
      if (plain.hasRemaining()) return copy(plain, dst);
      if (inboundDone) return -1;
      int produced = decryptBuffered(dst);
      if (produced > 0) return produced;
      if (plain.hasRemaining() || inboundDone) continue;
      if (readCiphertext() < 0) return -1;
    }
  }

  /** Decrypts whole records already received, into {@code dst} while it has room for one, else into {@link #plain}. */
  private int decryptBuffered(ByteBuffer dst) throws IOException {
    int produced = 0;
    while (true) {
      boolean direct = dst.remaining() >= engine.getSession().getApplicationBufferSize();
      if (!direct && produced > 0) return produced;
      SSLEngineResult result = unwrapInto(direct ? dst : null);
      if (result == null) return produced; // a partial record: more bytes are needed
      if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
        inboundDone = true;
        return produced;
      }
      answerPostHandshake(result.getHandshakeStatus());
      // Bytes in our own buffer: the record went there (dst was too small, or became so).
      if (plain.hasRemaining()) return produced > 0 ? produced : copy(plain, dst);
      if (direct) produced += result.bytesProduced();
    }
  }

  /** TLS 1.3 key updates ask for an answer; session tickets may ask for a task. */
  private void answerPostHandshake(HandshakeStatus status) throws IOException {
    while (true) {
      switch (status) {
        case NEED_WRAP -> status = wrapAndSend(NOTHING);
        case NEED_TASK -> {
          for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
          status = engine.getHandshakeStatus();
        }
        default -> {
          return;
        }
      }
    }
  }

  /**
   * Unwraps one record from {@link #cipherIn} into {@code dst}, or into {@link #plain} when {@code dst} is
   * null; returns null when no whole record is buffered yet. Grows a buffer the session says is too small.
   */
  private SSLEngineResult unwrapInto(ByteBuffer dst) throws IOException {
    while (true) {
      cipherIn.flip();
      SSLEngineResult result;
      try {
        if (dst != null) {
          result = engine.unwrap(cipherIn, dst);
        } else {
          plain.compact();
          try {
            result = engine.unwrap(cipherIn, plain);
          } finally {
            plain.flip();
          }
        }
      } finally {
        cipherIn.compact();
      }
      switch (result.getStatus()) {
        case OK, CLOSED -> {
          return result;
        }
        case BUFFER_UNDERFLOW -> {
          int packet = engine.getSession().getPacketBufferSize();
          if (cipherIn.capacity() < packet) cipherIn = grow(cipherIn, packet);
          return null;
        }
        case BUFFER_OVERFLOW -> {
          if (dst != null) {
            dst = null; // the caller's room was too small after all: go through our own buffer
          } else {
            plain = grow(plain.compact(), engine.getSession().getApplicationBufferSize() + plain.position()).flip();
          }
        }
        default -> throw new SSLException("unexpected unwrap result " + result.getStatus());
      }
    }
  }

  private int readCiphertext() throws IOException {
    if (!cipherIn.hasRemaining()) cipherIn = grow(cipherIn, cipherIn.capacity() * 2);
    return reads.read(cipherIn);
  }

  @Override
  public void write(ByteBuffer... srcs) throws IOException {
    do {
      HandshakeStatus status = wrapRecords(srcs);
      sendCipherOut();
      answerPostHandshake(status);
    } while (anyRemaining(srcs));
  }

  /** Encrypts records of {@code srcs} into {@link #cipherOut} until it is full or they are all taken. */
  private HandshakeStatus wrapRecords(ByteBuffer[] srcs) throws IOException {
    HandshakeStatus status = HandshakeStatus.NOT_HANDSHAKING;
    int packet = engine.getSession().getPacketBufferSize();
    do {
      SSLEngineResult result = engine.wrap(srcs, cipherOut);
      switch (result.getStatus()) {
        case OK -> status = result.getHandshakeStatus();
        case BUFFER_OVERFLOW -> {
          if (cipherOut.position() > 0) return status;
          cipherOut = grow(cipherOut, packet);
        }
        case CLOSED -> throw new SSLException("the TLS connection is closed");
        default -> throw new SSLException("unexpected wrap result " + result.getStatus());
      }
    } while (anyRemaining(srcs) && cipherOut.remaining() >= packet);
    return status;
  }

  private HandshakeStatus wrapAndSend(ByteBuffer src) throws IOException {
    SSLEngineResult result = engine.wrap(src, cipherOut);
    if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
      cipherOut = grow(cipherOut, cipherOut.capacity() * 2);
      return engine.getHandshakeStatus();
    }
    sendCipherOut();
    if (result.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("the TLS connection was closed");
    return result.getHandshakeStatus();
  }

  private void sendCipherOut() throws IOException {
    cipherOut.flip();
    try {
      while (cipherOut.hasRemaining()) channel.write(cipherOut);
    } finally {
      cipherOut.clear();
    }
  }

  /** After a failed handshake the engine holds an alert that tells the server why; sending it is a courtesy. */
  private void sendAlertQuietly() {
    try {
      engine.closeOutbound();
      cipherOut.clear();
      while (!engine.isOutboundDone()) {
        SSLEngineResult result = engine.wrap(NOTHING, cipherOut);
        if (result.getStatus() != SSLEngineResult.Status.OK && result.getStatus() != SSLEngineResult.Status.CLOSED) break;
        if (result.bytesProduced() == 0) break;
      }
      sendCipherOut();
    } catch (IOException | RuntimeException e) {
      // the handshake failed already; its own exception is what the caller reports
    }
  }

  @Override
  public byte[] channelBinding() {
    return channelBinding.clone();
  }

  private static int copy(ByteBuffer from, ByteBuffer to) {
    int n = Math.min(from.remaining(), to.remaining());
    to.put(to.position(), from, from.position(), n).position(to.position() + n);
    from.position(from.position() + n);
    return n;
  }

  /** A bigger direct buffer holding {@code old}'s bytes (write mode in, write mode out). */
  private static ByteBuffer grow(ByteBuffer old, int atLeast) {
    ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(atLeast, old.capacity()));
    return bigger.put(old.flip());
  }

  static boolean anyRemaining(ByteBuffer[] buffers) {
    for (ByteBuffer b : buffers) {
      if (b.hasRemaining()) return true;
    }
    return false;
  }
}
