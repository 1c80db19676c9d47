package dev.selectftp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay on a loopback port that passes every byte between a client and a server unchanged and keeps a
 * copy of both directions: what an eavesdropper on the path would see. One thread per direction; for tests.
 */
public final class RecordingRelay implements AutoCloseable {
  private static final int COPY_BUFFER_BYTES = 16 * 1024;

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final ByteArrayOutputStream recording = new ByteArrayOutputStream();
  private final List<Socket> sockets = new ArrayList<>();
  private final Thread acceptor;

  public RecordingRelay(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
  }

  /** How many client connections the relay has taken so far. */
  public int connections() {
    synchronized (sockets) {
      return sockets.size() / 2;
    }
  }

  /** Every byte seen so far, both directions interleaved in arrival order. */
  public byte[] recorded() {
    synchronized (recording) {
      return recording.toByteArray();
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getAddress(), target.getPort());
        synchronized (sockets) {
          sockets.add(client);
          sockets.add(server);
        }
        pump(client, server, "relay-up");
        pump(server, client, "relay-down");
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, String name) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[COPY_BUFFER_BYTES];
      try {
        // Not try-with-resources: closing one stream closes the socket, and the other direction may go on.
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          synchronized (recording) {
            recording.write(buffer, 0, n);
          }
          out.write(buffer, 0, n);
        }
        to.shutdownOutput();
      } catch (IOException e) {
        // one side went away: the other side's pump ends on its own
      }
    }, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    synchronized (sockets) {
      for (Socket s : sockets) s.close();
    }
  }
}
