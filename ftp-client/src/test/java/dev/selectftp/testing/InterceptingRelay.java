package dev.selectftp.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A man in the middle that terminates TLS: it relays the plain-text {@code hello} and {@code start-tls}
 * exchange, then completes the client's handshake with a certificate of its own, opens its own TLS session
 * to the server (trusting anything), and passes the decrypted bytes both ways. What a hostile proxy holding a
 * certificate the client might accept can do; channel binding is what stops it. For tests.
 */
public final class InterceptingRelay implements AutoCloseable {
  private static final int COPY_BUFFER_BYTES = 16 * 1024;
  /** Frames relayed in plain text before both sides switch to TLS: hello, start-tls, its reply. */
  private static final int PLAIN_FRAMES = 3;

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final SSLContext ownCertificate;
  private final List<Socket> sockets = new ArrayList<>();
  private volatile Throwable failure;

  /** {@code ownCertificate} holds the key and certificate the relay shows the client. */
  public InterceptingRelay(InetSocketAddress target, SSLContext ownCertificate) throws IOException {
    this.target = target;
    this.ownCertificate = ownCertificate;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "mitm-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
  }

  /** What went wrong inside the relay, if anything (null while all is well). */
  public Throwable failure() {
    return failure;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Thread t = new Thread(() -> intercept(client), "mitm-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void intercept(Socket client) {
    try (Socket server = new Socket(target.getAddress(), target.getPort())) {
      remember(client);
      remember(server);
      DataInputStream fromServer = new DataInputStream(server.getInputStream());
      DataInputStream fromClient = new DataInputStream(client.getInputStream());
      copyFrame(fromServer, client.getOutputStream()); // hello
      copyFrame(fromClient, server.getOutputStream()); // start-tls
      copyFrame(fromServer, client.getOutputStream()); // go ahead
      SSLSocket toServer = (SSLSocket) trustingAnything().getSocketFactory()
          .createSocket(server, target.getHostString(), target.getPort(), false);
      toServer.setUseClientMode(true);
      toServer.startHandshake();
      SSLSocket toClient = (SSLSocket) ownCertificate.getSocketFactory().createSocket(client, null, false);
      toClient.setUseClientMode(false);
      toClient.startHandshake();
      Thread up = pump(toClient, toServer, "mitm-up");
      pump(toServer, toClient, "mitm-down").join();
      up.join();
    } catch (IOException e) {
      failure = e; // the client refused us, or the server did: both are outcomes a test may expect
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close(client);
    }
  }

  private static void copyFrame(DataInputStream in, OutputStream out) throws IOException {
    int length = in.readInt();
    byte[] payload = in.readNBytes(length);
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(length);
    data.write(payload);
    data.flush();
  }

  private static Thread pump(Socket from, Socket to, String name) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[COPY_BUFFER_BYTES];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) out.write(buffer, 0, n);
      } catch (IOException e) {
        // one side went away
      } finally {
        close(to);
        close(from);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static SSLContext trustingAnything() throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private void remember(Socket socket) {
    synchronized (sockets) {
      sockets.add(socket);
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    synchronized (sockets) {
      for (Socket s : sockets) close(s);
    }
  }
}
