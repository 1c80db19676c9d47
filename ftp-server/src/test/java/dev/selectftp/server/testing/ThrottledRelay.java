package dev.selectftp.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A slow network in front of a real server, for tests: a TCP relay on a free loopback port that passes every
 * connection on to {@code target}, the bytes one way paced to {@code bytesPerSecond} over all connections
 * together (a store slower than the client: S3Proxy behind a thin link), the other way at full speed: the
 * requests for {@link #start} (uploads), the answers for {@link #answers} (downloads). Two daemon threads per
 * connection; {@link #close} cuts everything.
 */
public final class ThrottledRelay implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final long bytesPerSecond;
  /** Pace the answers (towards the client) instead of the requests. */
  private final boolean answersPaced;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  /** When the shared link is free again: each chunk sent towards the target books its time on it. */
  private long freeAtNanos;

  private ThrottledRelay(URI target, long bytesPerSecond, boolean answersPaced) throws IOException {
    this.answersPaced = answersPaced;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.bytesPerSecond = bytesPerSecond;
    daemon("relay-accept", this::accept).start();
  }

  /** Relays to {@code target} (an {@code http://host:port} endpoint), its uploads at {@code bytesPerSecond}. */
  public static ThrottledRelay start(URI target, long bytesPerSecond) throws IOException {
    return new ThrottledRelay(target, bytesPerSecond, false);
  }

  /** Relays to {@code target}, its answers (downloads) at {@code bytesPerSecond}. */
  public static ThrottledRelay answers(URI target, long bytesPerSecond) throws IOException {
    return new ThrottledRelay(target, bytesPerSecond, true);
  }

  /** Where clients connect instead of the target. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getAddress(), target.getPort());
        sockets.add(client);
        sockets.add(server);
        daemon("relay-up", () -> pipe(client, server, !answersPaced)).start();
        daemon("relay-down", () -> pipe(server, client, answersPaced)).start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pipe(Socket from, Socket to, boolean paced) {
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (paced) pace(n);
        out.write(buffer, 0, n);
      }
      to.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Books {@code bytes} on the shared link and sleeps until they are through. */
  private void pace(int bytes) throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      freeAtNanos = Math.max(freeAtNanos, now) + bytes * TimeUnit.SECONDS.toNanos(1) / bytesPerSecond;
      wait = freeAtNanos - now;
    }
    TimeUnit.NANOSECONDS.sleep(wait);
  }

  private static Thread daemon(String name, Runnable run) {
    Thread t = new Thread(run, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) closeQuietly(s);
  }
}
