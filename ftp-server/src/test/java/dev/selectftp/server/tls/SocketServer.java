package dev.selectftp.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A loopback socket that runs one server handshake per connection with an engine from {@code engines}, so
 * a real external client (openssl s_client) can be tried against our engines. Blocking, on its own thread.
 */
final class SocketServer implements AutoCloseable {
  private static final int BUFFER_BYTES = 1 << 17;

  private final ServerSocket socket;
  private final Supplier<SSLEngine> engines;
  private final Thread thread;
  /** The outcome of the latest connection: "TLSv1.3 TLS_AES_128_GCM_SHA256" or the server's exception. */
  private volatile CompletableFuture<String> outcome = new CompletableFuture<>();

  SocketServer(Supplier<SSLEngine> engines) throws IOException {
    this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    this.engines = engines;
    this.thread = new Thread(this::serve, "test-tls-socket");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  CompletableFuture<String> outcome() {
    return outcome;
  }

  /** Forgets the previous connection's outcome before the next client connects. */
  void reset() {
    outcome = new CompletableFuture<>();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        SSLEngine engine = engines.get();
        try {
          handshake(engine, connection.getInputStream(), connection.getOutputStream());
          outcome.complete(engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite());
        } catch (SSLException e) {
          outcome.completeExceptionally(e);
        }
      } catch (IOException e) {
        outcome.completeExceptionally(e);
      }
    }
  }

  /** Drives the engine over blocking streams; after a failure it still sends the engine's alert. */
  private static void handshake(SSLEngine engine, InputStream in, OutputStream out) throws IOException {
    ByteBuffer netIn = ByteBuffer.allocate(BUFFER_BYTES);
    ByteBuffer netOut = ByteBuffer.allocate(BUFFER_BYTES);
    ByteBuffer app = ByteBuffer.allocate(BUFFER_BYTES);
    engine.beginHandshake();
    try {
      while (true) {
        HandshakeStatus status = engine.getHandshakeStatus();
        switch (status) {
          case NEED_TASK -> {
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) task.run();
          }
          case NEED_WRAP -> flush(engine, netOut, out);
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
            netIn.flip();
            SSLEngineResult result = engine.unwrap(netIn, app);
            netIn.compact();
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
              int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
              if (n < 0) throw new SSLException("client closed during the handshake");
              netIn.position(netIn.position() + n);
            }
          }
          default -> {
            return;
          }
        }
      }
    } catch (SSLException e) {
      while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
        flush(engine, netOut, out);
      }
      throw e;
    }
  }

  private static void flush(SSLEngine engine, ByteBuffer netOut, OutputStream out) throws IOException {
    netOut.clear();
    engine.wrap(ByteBuffer.allocate(0), netOut);
    out.write(netOut.array(), 0, netOut.position());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
