package dev.selectftp.server.net;

import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS (server side) over a non-blocking socket, with an {@link SSLEngine}. Records move on the loop
 * thread; the handshake's engine work runs in steps on helper threads ({@link TlsHandshake}), and the
 * connection is re-armed when a step is back, so a burst of handshakes costs the loop only socket reads and
 * writes. This class unwraps what a read asks for; {@link TlsInbound} keeps what came in, {@link TlsOutbound}
 * wraps and keeps what goes out.
 *
 * <p>Memory: the network and application buffers exist only while they hold bytes and are given back by
 * {@link #trim()} once empty, so an idle TLS connection holds none. Kept input is bounded: one partial or
 * whole record (at most one packet) and the decrypted surplus of one record, which is handed out no faster
 * than the reader asks ({@link #read} never returns more than its buffer's room).
 *
 * <p>Renegotiation is refused (a TLS 1.2 client asking for a new handshake is disconnected); TLS 1.3 key
 * updates are answered. A close_notify from the client reads as the end of input; closing sends one.
 */
final class TlsTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);

  private final SocketChannel channel;
  private final SSLEngine engine;
  private final EventLoop loop;
  private final String address;
  private final TlsInbound input;
  private final TlsOutbound output;
  private final TlsHandshake handshake;
  private boolean closed;

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
    this.channel = channel;
    this.engine = engine;
    this.loop = loop;
    this.address = address;
    this.input = new TlsInbound(channel, engine);
    this.output = new TlsOutbound(channel, engine, address);
    this.handshake = new TlsHandshake(engine, tasks, input, output, address, onTaskDone, holdLastFlight);
  }

  @Override
  public int read(ByteBuffer into) throws IOException {
    if (input.hasSurplus()) return input.handOut(into);
    if (input.ended()) return -1;
    if (handshake.inProgress()) {
      handshake.advance();
      return input.ended() ? -1 : 0;
    }
    while (true) {
      if (input.isEmpty()) {
        int n = input.readSocket();
        if (n < 0) return -1;
        if (n == 0) return 0;
      }
      int appBuffer = engine.getSession().getApplicationBufferSize();
      boolean direct = into.remaining() >= appBuffer;
      ByteBuffer dst = direct ? into : ByteBuffer.allocate(appBuffer);
      int before = dst.position();
      SSLEngineResult r = unwrap(dst);
      int produced = dst.position() - before;
      switch (r.getStatus()) {
        case OK -> {
          handshake.afterMessage(r);
          if (produced > 0) {
            if (direct) return produced;
            input.keepSurplus(dst.flip());
            return input.handOut(into);
          }
          // Never spin on the loop: a step that took nothing and gave nothing will not do better next time.
          if (r.bytesConsumed() == 0) throw new SSLException("TLS made no progress");
        }
        case BUFFER_UNDERFLOW -> {
          int n = input.readRestOfRecord();
          if (n < 0) return -1;
          if (n == 0) return 0;
        }
        case CLOSED -> {
          return input.end();
        }
        case BUFFER_OVERFLOW -> throw new SSLException("record larger than the application buffer");
      }
    }
  }

  /** Unwraps one record's worth into {@code dst}; on failure the engine's alert goes to the peer first. */
  private SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
    try {
      return input.unwrap(dst);
    } catch (SSLException e) {
      output.sendAlert();
      throw e;
    }
  }

  @Override
  public boolean flush() throws IOException {
    return output.flush();
  }

  @Override
  public long write(ByteBuffer[] sources) throws IOException {
    if (handshake.inProgress()) return 0;
    return output.wrap(sources);
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    return (int) write(new ByteBuffer[] {source});
  }

  /** Reads the file through the loop's scratch buffer and encrypts what the socket takes; the rest is read again next time. */
  @Override
  public long transferFrom(FileChannel file, long position, long count) throws IOException {
    if (handshake.inProgress()) return 0;
    if (!output.ready()) return 0;
    ByteBuffer scratch = loop.scratch();
    scratch.limit((int) Math.min(scratch.capacity(), count));
    int read = file.read(scratch, position);
    if (read <= 0) throw new IOException("the file shrank while being sent");
    scratch.flip();
    return write(new ByteBuffer[] {scratch});
  }

  @Override
  public boolean hasPendingOutput() {
    return output.hasPending();
  }

  @Override
  public boolean hasBufferedInput() {
    return input.hasBufferedInput(handshake.inProgress());
  }

  @Override
  public boolean busy() {
    return handshake.stepRunning();
  }

  @Override
  public boolean handshaking() {
    return handshake.inProgress();
  }

  @Override
  public long bufferedBytes() {
    return input.bufferedBytes() + output.bufferedBytes();
  }

  /** The buffers are already dropped when they empty; nothing else is held between events. */
  @Override
  public void trim() {
    input.trim();
    output.trim();
  }

  /** Input ended (FIN) while the engine never saw the peer's close_notify. */
  @Override
  public boolean truncated() {
    return input.ended() && !engine.isInboundDone();
  }

  @Override
  public byte[] channelBinding() {
    return handshake.channelBinding();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    handshake.abandon();
    if (!handshake.inProgress() && channel.isOpen()) output.sendCloseNotify();
    input.clear();
    output.clear();
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("{}: close failed: {}", address, e.toString());
    }
  }
}
