package dev.selectftp.server.protocol.ftp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP relay on loopback for tests: takes one connection, forwards it to {@code target} both ways and
 * records every byte that crossed it, as someone on the path would see them.
 */
final class Relay implements AutoCloseable {
  private final ServerSocket listener;
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
  private final Thread thread;

  Relay(int target) throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> serve(target), "relay");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void serve(int target) {
    try (Socket client = listener.accept();
        Socket server = new Socket()) {
      server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
      Thread back = new Thread(() -> pipe(server, client), "relay-back");
      back.setDaemon(true);
      back.start();
      pipe(client, server);
      back.join();
    } catch (IOException | InterruptedException e) {
      // the test sees what was recorded; a broken relay shows up as a failed transfer
    }
  }

  /** Copies until the end of input, then passes the end (FIN) on. */
  private void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) > 0) {
        synchronized (seen) {
          seen.write(buffer, 0, n);
        }
        out.write(buffer, 0, n);
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // a reset ends the copy
    }
  }

  /** Every byte relayed so far, both directions interleaved. */
  byte[] seen() {
    synchronized (seen) {
      return seen.toByteArray();
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
