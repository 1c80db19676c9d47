package dev.selectftp.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over TLS one record can decrypt to more than the handler's read window: the rest waits inside the
 * transport, where the selector cannot see it, and must be served in later slices without new bytes from
 * the socket.
 */
class TlsSurplusTest {
  /** The handler's read window: far smaller than a record. */
  private static final int WINDOW = 100;
  /** One client write, one TLS record: many windows, more than one slice's requests. */
  private static final int SENT = 10_000;
  private static final byte[] GO_AHEAD = "go\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;
  private final EventLoop loop;
  private final Background handshakes;
  private final ServerSocketChannel listener;

  TlsSurplusTest() throws IOException {
    loop = new EventLoop();
    new Thread(loop, "test-loop").start();
    handshakes = new Background("test-tls", 1, loop::post);
    listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void stop() throws Exception {
    listener.close();
    handshakes.close();
    loop.close();
    loop.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Says the go-ahead and upgrades at once; then takes at most a window per call, each call one request. */
  private static Handler windowed(Peer peer, AtomicInteger received, CountDownLatch all) {
    return new TestConnections.Base() {
      @Override public void onOpen() {
        peer.send(ByteBuffer.wrap(GO_AHEAD));
        peer.startTls();
      }
      @Override public boolean onInput(ByteBuffer source) {
        int n = source.remaining();
        source.position(source.limit());
        received.addAndGet(n); // before the latch: the test reads it as soon as the latch opens
        for (int i = 0; i < n; i++) all.countDown();
        return true;
      }
      @Override public int readWindow() { return WINDOW; }
    };
  }

  @Test
  void bytesDecryptedBeyondTheReadWindowAreServedWithoutNewSocketInput() throws Exception {
    KeytoolTls keys = KeytoolTls.generate(dir);
    TlsSupport tls = new TlsSupport(keys, handshakes);
    AtomicInteger received = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(SENT);
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort())) {
      SocketChannel accepted = listener.accept();
      TestConnections.open(loop, accepted, tls, peer -> windowed(peer, received, all));
      InputStream in = client.getInputStream();
      assertEquals(GO_AHEAD.length, in.readNBytes(GO_AHEAD.length).length);
      SSLSocket secure = keys.upgrade(client);
      OutputStream out = secure.getOutputStream();
      out.write(new byte[SENT]); // one record; then the client sends nothing more and keeps the socket open
      out.flush();
      assertTrue(all.await(10, TimeUnit.SECONDS), "received " + received.get() + " of " + SENT);
      assertEquals(SENT, received.get());
    }
  }
}
