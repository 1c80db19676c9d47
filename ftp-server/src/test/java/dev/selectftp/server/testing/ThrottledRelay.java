package dev.selectftp.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A slow network in front of a real server, for tests: a TCP relay on a free loopback port that passes every
 * connection on to {@code target}, the bytes one way paced to {@code bytesPerSecond} over all connections
 * together (a store slower than the client: S3Proxy behind a thin link), the other way at full speed: the
 * requests for {@link #start} (uploads), the answers for {@link #answers} (downloads). The paced direction can
 * be held still ({@link #hold}: a store that stalls), and a download relay logs the {@code Range} of every
 * request it passes on ({@link #ranges}). Two daemon threads per connection; {@link #close} cuts everything.
 */
public final class ThrottledRelay implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;
  private static final Pattern RANGE = Pattern.compile("(?i)\r\nrange: *bytes=(\\d+)-");

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final long bytesPerSecond;
  /** Pace the answers (towards the client) instead of the requests. */
  private final boolean answersPaced;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  /** When the shared link is free again: each chunk sent towards the target books its time on it. */
  private long freeAtNanos;
  private boolean held;
  /** The first byte of each ranged request passed on, from a download relay. */
  private final List<Long> rangeStarts = Collections.synchronizedList(new ArrayList<>());

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
    boolean requests = from.getLocalPort() == listener.getLocalPort();
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (requests && answersPaced) logRanges(buffer, n);
        if (paced) pace(n);
        out.write(buffer, 0, n);
      }
      to.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Notes the Range headers of a download relay's requests (a GET's head arrives in one read on loopback). */
  private void logRanges(byte[] buffer, int n) {
    Matcher m = RANGE.matcher(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
    while (m.find()) rangeStarts.add(Long.parseLong(m.group(1)));
  }

  /** The first byte of every ranged request passed on so far, in order (a download relay only). */
  public List<Long> ranges() {
    return List.copyOf(rangeStarts);
  }

  /** Holds the paced direction still (true) until released (false): a store that stalls mid-answer. */
  public synchronized void hold(boolean still) {
    held = still;
    notifyAll();
  }

  /** Books {@code bytes} on the shared link and sleeps until they are through. */
  private void pace(int bytes) throws InterruptedException {
    long wait;
    synchronized (this) {
      while (held) wait();
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
