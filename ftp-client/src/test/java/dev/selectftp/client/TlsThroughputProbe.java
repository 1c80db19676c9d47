package dev.selectftp.client;

import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.testing.TestCertificates;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Not a test: a throughput probe run by hand (-Dtest=TlsThroughputProbe -Dprobe=1). */
class TlsThroughputProbe {
  @TempDir Path dir;
  static final long BYTES = Long.getLong("probe.bytes", 512L << 20);
  static final byte[] CHUNK = new byte[1 << 20];

  @Test
  void probe() throws Exception {
    if (System.getProperty("probe") == null) return;
    new Random(1).nextBytes(CHUNK);
    TestCertificates certs = TestCertificates.makeIn(Files.createDirectories(dir.resolve("c")));
    SSLContext server = certs.selfSigned.serverContext();
    ClientTls tls = ClientTls.create(null, dir.resolve("ks"), l -> {});
    String hash = expectedHash();
    for (int round = 0; round < 3; round++) {
      System.out.printf("round %d%n", round);
      System.out.printf("  plain verified get: %.0f MB/s%n", get(null, tls, hash));
      System.out.printf("  tls   verified get: %.0f MB/s%n", get(server, tls, hash));
      System.out.printf("  SSLEngine transport read only: %.0f MB/s%n", transportRead(server, tls, false));
      System.out.printf("  SSLSocket stream read only:    %.0f MB/s%n", transportRead(server, tls, true));
    }
  }

  static String expectedHash() throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    for (long sent = 0; sent < BYTES; sent += CHUNK.length) d.update(CHUNK, 0, (int) Math.min(CHUNK.length, BYTES - sent));
    return HexFormat.of().formatHex(d.digest());
  }

  double get(SSLContext server, ClientTls tls, String hash) throws Exception {
    FakeServer.Script script = peer -> {
      peer.read(Request.Get.class);
      peer.send(new Response.GetReady(200, "sending", BYTES, 0, null));
      for (long sent = 0; sent < BYTES; sent += CHUNK.length) peer.sendRaw(CHUNK, 0, (int) Math.min(CHUNK.length, BYTES - sent));
      peer.send(new Response.GetDone(200, "sent", hash));
    };
    try (FakeServer fake = server == null ? FakeServer.start(script) : FakeServer.startTls("required", server, new byte[0], script);
        FtpClient client = FtpClient.connect("127.0.0.1", fake.port(), Duration.ofSeconds(60), server == null ? ClientTls.off() : tls)) {
      Path target = dir.resolve("t.bin");
      Files.deleteIfExists(target);
      long t0 = System.nanoTime();
      client.get("t.bin", target, TransferListener.NONE);
      double s = (System.nanoTime() - t0) / 1e9;
      fake.awaitScript();
      Files.delete(target);
      return BYTES / s / 1e6;
    }
  }

  double transportRead(SSLContext server, ClientTls tls, boolean sslSocket) throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
        try (Socket s = listener.accept()) {
          SSLSocket ssl = (SSLSocket) server.getSocketFactory().createSocket(s, null, s.getPort(), true);
          ssl.setUseClientMode(false);
          ssl.startHandshake();
          for (long sent = 0; sent < BYTES; sent += CHUNK.length) ssl.getOutputStream().write(CHUNK, 0, (int) Math.min(CHUNK.length, BYTES - sent));
          ssl.getOutputStream().flush();
          ssl.getInputStream().read();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      long got = 0;
      long t0;
      if (sslSocket) {
        Socket plain = new Socket();
        plain.connect(listener.getLocalSocketAddress());
        try (SSLSocket ssl = tls.layer(plain, "127.0.0.1", listener.getLocalPort())) {
          ssl.startHandshake();
          byte[] buf = new byte[256 * 1024];
          InputStream in = ssl.getInputStream();
          t0 = System.nanoTime();
          while (got < BYTES) {
            int n = in.read(buf);
            if (n < 0) break;
            got += n;
          }
        }
      } else {
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()))) {
          SSLEngine engine = tls.newEngine("127.0.0.1", listener.getLocalPort());
          TlsTransport t = TlsTransport.handshake(ch, ch::read, engine);
          ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
          t0 = System.nanoTime();
          while (got < BYTES) {
            buf.clear();
            int n = t.read(buf);
            if (n < 0) break;
            got += n;
          }
        }
      }
      double s = (System.nanoTime() - t0) / 1e9;
      done.exceptionally(e -> null).get();
      return got / s / 1e6;
    }
  }
}
