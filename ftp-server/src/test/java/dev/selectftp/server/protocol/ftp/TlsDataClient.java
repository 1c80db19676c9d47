package dev.selectftp.server.protocol.ftp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

/**
 * A client data connection over TLS for tests, blocking, with the JDK's {@link SSLEngine}: unlike a layered
 * SSLSocket (whose session cache key is the socket's own port), an engine made for the control connection's
 * host and port offers the control connection's session, as curl and lftp do.
 */
final class TlsDataClient implements AutoCloseable {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private final SocketChannel channel;
  private final SSLEngine engine;
  /** Filling. */
  private ByteBuffer netIn;
  /** Ready to read. */
  private ByteBuffer appIn = ByteBuffer.allocate(0);

  /** Connects to {@code port}; the engine offers what {@code context} cached for localhost:{@code sessionPort}. */
  TlsDataClient(int port, SSLContext context, int sessionPort) throws IOException {
    channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    engine = context.createSSLEngine("localhost", sessionPort);
    engine.setUseClientMode(true);
    netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
  }

  void handshake() throws IOException {
    engine.beginHandshake();
    while (true) {
      switch (engine.getHandshakeStatus()) {
        case NEED_WRAP -> wrap(EMPTY);
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          if (unwrap() < 0) throw new EOFException("the server closed during the handshake");
        }
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) task.run();
        }
        default -> {
          return;
        }
      }
    }
  }

  private void wrap(ByteBuffer source) throws IOException {
    do {
      ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      SSLEngineResult r = engine.wrap(source, out);
      out.flip();
      while (out.hasRemaining()) channel.write(out);
      if (r.getStatus() == SSLEngineResult.Status.CLOSED) return;
    } while (source.hasRemaining());
  }

  /** One unwrap, reading the socket first when needed; -1 at the end of input (close_notify or FIN). */
  private int unwrap() throws IOException {
    while (true) {
      netIn.flip();
      ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
      SSLEngineResult r = engine.unwrap(netIn, app);
      netIn.compact();
      if (r.getStatus() == SSLEngineResult.Status.CLOSED) return -1;
      if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
        if (channel.read(netIn) < 0) return -1;
        continue;
      }
      appIn = app.flip();
      return appIn.remaining();
    }
  }

  void write(byte[] bytes) throws IOException {
    wrap(ByteBuffer.wrap(bytes));
  }

  /** Everything the server sends until its close_notify (or a bare FIN). */
  byte[] readAll() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    while (true) {
      all.write(appIn.array(), appIn.position(), appIn.remaining());
      appIn = ByteBuffer.allocate(0);
      if (engine.isInboundDone() || unwrap() < 0) return all.toByteArray();
    }
  }

  /** Sends close_notify, then the FIN. */
  void closeNotify() throws IOException {
    engine.closeOutbound();
    wrap(EMPTY);
    channel.shutdownOutput();
  }

  /** The FIN without close_notify: what a connection cut on the path looks like to the server. */
  void cut() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
