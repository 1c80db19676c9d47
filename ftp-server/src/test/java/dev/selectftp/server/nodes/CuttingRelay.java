package dev.selectftp.server.nodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A client's network that fails mid-upload, at a byte the test chooses: a TCP relay on loopback that passes
 * one connection to {@code target} (the balancer), forwards the client's first {@code limit} bytes, then closes
 * both sides. The server gets exactly those bytes and an end of stream; the client's next write or read fails.
 * Replies are passed back as they come until the cut.
 */
final class CuttingRelay implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;

  private final ServerSocket listener;
  private final int target;
  private final long limit;
  private final CountDownLatch cut = new CountDownLatch(1);
  private volatile Socket client;
  private volatile Socket server;

  private CuttingRelay(ServerSocket listener, int target, long limit) {
    this.listener = listener;
    this.target = target;
    this.limit = limit;
  }

  /** Listens on a free loopback port for one connection, to be relayed to {@code target} on 127.0.0.1. */
  static CuttingRelay start(int target, long limit) throws IOException {
    CuttingRelay relay = new CuttingRelay(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()), target, limit);
    Thread t = new Thread(relay::serve, "cutting-relay");
    t.setDaemon(true);
    t.start();
    return relay;
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Whether the limit was reached and both sides closed within {@code seconds}. */
  boolean awaitCut(long seconds) throws InterruptedException {
    return cut.await(seconds, TimeUnit.SECONDS);
  }

  private void serve() {
    try {
      client = listener.accept();
      server = new Socket(InetAddress.getLoopbackAddress(), target);
      Thread back = new Thread(() -> pump(server, client, Long.MAX_VALUE), "cutting-relay-back");
      back.setDaemon(true);
      back.start();
      if (pump(client, server, limit)) cut.countDown();
    } catch (IOException e) {
      // the test sees no cut and says so
    } finally {
      close();
    }
  }

  /** Copies {@code from} to {@code to} until {@code max} bytes went through (true) or {@code from} ended. */
  private static boolean pump(Socket from, Socket to, long max) {
    byte[] buffer = new byte[BUFFER];
    long sent = 0;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (sent < max) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, max - sent));
        if (n < 0) return false;
        out.write(buffer, 0, n);
        out.flush();
        sent += n;
      }
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  @Override
  public void close() {
    for (AutoCloseable c : new AutoCloseable[] {client, server, listener}) {
      try {
        if (c != null) c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }
}
