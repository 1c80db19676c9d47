package dev.selectftp.client;

import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A one-connection server that follows a script, for protocol situations the real server never produces
 * (a hash that never matches, a forged signature, a connection cut mid-download).
 */
public final class FakeServer implements AutoCloseable {
  public static final int ITERATIONS = 4096;

  public interface Script {
    void run(FakeServer.Peer peer) throws Exception;
  }

  /** The server's side of the one connection. */
  public static final class Peer {
    private final DataInputStream in;
    private final OutputStream out;
    private final Socket socket;

    Peer(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    public Request read() throws Exception {
      int length = in.readInt();
      if (length < 0 || length > Frames.MAX_FRAME_BYTES) throw new IOException("bad length " + length);
      byte[] payload = new byte[length];
      in.readFully(payload);
      return MessageCodec.decodeRequest(payload);
    }

    public <T extends Request> T read(Class<T> type) throws Exception {
      return type.cast(read());
    }

    public byte[] readRaw(long length) throws IOException {
      byte[] bytes = new byte[Math.toIntExact(length)];
      in.readFully(bytes);
      return bytes;
    }

    public void send(Response response) throws IOException {
      ByteBuffer frame = MessageCodec.encode(response);
      out.write(frame.array(), 0, frame.limit());
      out.flush();
    }

    /** Writes several frames and raw pieces in one write call, so they arrive in as few segments as can be. */
    public void sendTogether(Object... parts) throws IOException {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (Object part : parts) {
        if (part instanceof Response response) {
          ByteBuffer frame = MessageCodec.encode(response);
          all.write(frame.array(), 0, frame.limit());
        } else {
          all.writeBytes((byte[]) part);
        }
      }
      out.write(all.toByteArray());
      out.flush();
    }

    public void sendRaw(byte[] bytes, int from, int length) throws IOException {
      out.write(bytes, from, length);
      out.flush();
    }

    public void hangUp() throws IOException {
      socket.close();
    }
  }

  private final ServerSocket listener;
  private final CompletableFuture<Void> done;

  private FakeServer(ServerSocket listener, CompletableFuture<Void> done) {
    this.listener = listener;
    this.done = done;
  }

  /** Listens on a free loopback port and runs {@code script} (after sending hello) for the first connection. */
  public static FakeServer start(Script script) throws IOException {
    return start("off", script);
  }

  /** Like {@link #start(Script)}, with hello offering {@code tls} (but no TLS is ever set up). */
  public static FakeServer start(String tls, Script script) throws IOException {
    ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
      try (Socket socket = listener.accept()) {
        Peer peer = new Peer(socket);
        peer.send(new Response.Hello(200, "SelectFTP ready", "Fake/1", ITERATIONS, tls));
        script.run(peer);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    return new FakeServer(listener, done);
  }

  /**
   * Listens like {@link #start}, offering {@code tls} in hello; expects {@code start-tls} first, answers it
   * with {@code afterReply} in the same write (bytes an attacker injected before the handshake, or none),
   * runs the TLS handshake as the server presenting {@code identity}'s context, then runs {@code script}
   * over TLS. With {@code script} null the handshake's own failure is the expected outcome and is kept.
   */
  public static FakeServer startTls(String tls, SSLContext identity, byte[] afterReply, Script script) throws IOException {
    ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
      try (Socket socket = listener.accept()) {
        Peer plain = new Peer(socket);
        plain.send(new Response.Hello(200, "SelectFTP ready", "Fake/1", ITERATIONS, tls));
        plain.read(Request.StartTls.class);
        plain.sendTogether(new Response.StartTls(200, "go ahead"), afterReply);
        SSLSocket ssl = (SSLSocket) identity.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setSoTimeout(10_000);
        // Closed through the plain socket: SSLSocket.close() would wait for the client's close_notify.
        ssl.startHandshake();
        if (script != null) script.run(new Peer(ssl));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    return new FakeServer(listener, done);
  }

  public int port() {
    return listener.getLocalPort();
  }

  FtpClient connect() throws IOException {
    return connect(Duration.ofSeconds(10));
  }

  FtpClient connect(Duration timeout) throws IOException {
    return FtpClient.connect("127.0.0.1", listener.getLocalPort(), timeout);
  }

  /** Waits for the script to end and rethrows what went wrong in it. */
  public void awaitScript() throws Exception {
    done.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
