package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.hostile.Bystander;
import dev.selectftp.server.net.ProxySources;
import dev.selectftp.server.testing.LogLines;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --proxy-protocol-from} on a real server over loopback, both doors, the test playing the proxy:
 * connections from {@link #PROXY} must begin with a PROXY header and count as the client it names; any other
 * source is taken as it comes. (HAProxy itself in front of real nodes: {@code nodes/ProxiedAddressTest}.)
 */
class ProxyProtocolTest {
  /** The trusted proxy's address; clients the header names are other 127.x addresses. */
  static final String PROXY = "127.0.0.3";
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  @TempDir Path dir;

  private FtpServer start(ServerConfig config) throws Exception {
    return FtpServer.start(config.withFtpPort(0).withProxyProtocolFrom(ProxySources.parse(PROXY)));
  }

  static byte[] v1(String client, int serverPort) {
    return ("PROXY TCP4 " + client + " 127.0.0.1 40000 " + serverPort + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** A v2 PROXY (command 1) header for an IPv4 TCP client, or LOCAL (command 0) without addresses. */
  static byte[] v2(String client, int serverPort) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(client == null ? 16 : 28)
        .put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    if (client == null) return b.put((byte) 0x20).put((byte) 0).putShort((short) 0).array();
    return b.put((byte) 0x21).put((byte) 0x11).putShort((short) 12).put(InetAddress.getByName(client).getAddress())
        .put(InetAddress.getByName("127.0.0.1").getAddress()).putShort((short) 40000).putShort((short) serverPort)
        .array();
  }

  private static Socket fromProxy(int port) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(PROXY), 0));
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    s.setSoTimeout(READ_TIMEOUT_MILLIS);
    return s;
  }

  @Test
  void thePerAddressCapCountsTheClientEachHeaderNamesNotTheProxy() throws Exception {
    try (FtpServer server = start(ServerConfig.forTests(dir).withConnectionCaps(100, 1));
        FtpLineClient first = FtpLineClient.behindProxy(PROXY, server.ftpPort(), v1("127.0.0.9", server.ftpPort()));
        FtpLineClient other = FtpLineClient.behindProxy(PROXY, server.ftpPort(), v2("127.0.0.10", server.ftpPort()));
        FtpLineClient check = FtpLineClient.behindProxy(PROXY, server.ftpPort(), v2(null, server.ftpPort()))) {
      assertEquals("220", first.reply().substring(0, 3), "one connection for 127.0.0.9");
      assertEquals("220", other.reply().substring(0, 3), "another client through the same proxy (v2)");
      assertEquals("220", check.reply().substring(0, 3), "a health check (v2 LOCAL) as the proxy itself");
      try (FtpLineClient again = FtpLineClient.behindProxy(PROXY, server.ftpPort(), v2("127.0.0.9", 0))) {
        String reply = again.reply();
        assertTrue(reply.startsWith("421 ") && reply.contains("from 127.0.0.9"), reply);
      }
      try (FtpLineClient again = FtpLineClient.behindProxy(PROXY, server.ftpPort(), v1("127.0.0.9", 0))) {
        assertTrue(again.reply().contains("from 127.0.0.9"));
      }
      try (FtpLineClient check2 = FtpLineClient.behindProxy(PROXY, server.ftpPort(),
          "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII))) {
        String reply = check2.reply();
        assertTrue(reply.startsWith("421 ") && reply.contains("from " + PROXY), "UNKNOWN is the proxy: " + reply);
      }
      // The SelectFTP door counts against the same client: 127.0.0.10 holds its one slot.
      try (Socket s = fromProxy(server.port())) {
        s.getOutputStream().write(v2("127.0.0.10", server.port()));
        DataInputStream in = new DataInputStream(s.getInputStream());
        Response r = MessageCodec.decodeResponse(in.readNBytes(in.readInt()));
        assertInstanceOf(Response.Error.class, r, "refused as 127.0.0.10: " + r);
        assertTrue(((Response.Error) r).message().contains("127.0.0.10"), r.toString());
      }
    }
  }

  @Test
  void theClientNamedIsTheOneInTheLogAndOnTheDataConnection() throws Exception {
    try (LogLines log = new LogLines(); FtpServer server = start(ServerConfig.forTests(dir));
        FtpLineClient c = FtpLineClient.behindProxy(PROXY, server.ftpPort(), v1("127.0.0.9", server.ftpPort()))) {
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      int port = c.passivePort();
      // The proxy's data connection must name the control connection's client too: another one is closed.
      try (Socket thief = fromProxy(port)) {
        thief.getOutputStream().write(v2("127.0.0.8", port));
        assertEquals(-1, thief.getInputStream().read(), "a data connection for another client gets a close");
      }
      try (Socket bare = fromProxy(port)) {
        bare.getOutputStream().write("GET /\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(-1, bare.getInputStream().read(), "the proxy's data connection without a header too");
      }
      try (Socket data = fromProxy(port)) {
        data.getOutputStream().write(v2("127.0.0.9", port));
        c.sendRaw("NLST\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("150", c.reply().substring(0, 3));
        try (InputStream in = data.getInputStream()) {
          assertEquals("notes\r\nsample.bin\r\nwelcome.txt\r\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      assertEquals("226", c.reply().substring(0, 3));
      // The line is the control connection's: its client is 127.0.0.9, not the proxy.
      assertFalse(log.containing("127.0.0.9: data connection from 127.0.0.8 refused", 5_000).isEmpty(), log.all()
          .toString());
    }
  }

  @Test
  void aTrustedSourceWithoutAHeaderIsClosedWithOneEscapedLineAndCountsAgainstNobody() throws Exception {
    try (LogLines log = new LogLines();
        FtpServer server = start(ServerConfig.forTests(dir).withConnectionCaps(2, 1)
            .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1)))) {
      try (Socket silent = fromProxy(server.ftpPort()); Socket plain = fromProxy(server.ftpPort())) {
        plain.getOutputStream().write("USER bob\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(-1, plain.getInputStream().read(), "a plain client from the proxy: closed, no greeting");
        long start = System.nanoTime();
        assertEquals(-1, silent.getInputStream().read(), "no header: closed at the deadline, no greeting");
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 500 && waited < 5_000, "closed after the 1 s header deadline, not " + waited + " ms");
      }
      assertFalse(log.containing("not a PROXY header: USER bob\\u000d\\u000a", 5_000).isEmpty(), log.all().toString());
      assertFalse(log.containing("no PROXY header within 1000 ms", 0).isEmpty(), log.all().toString());
      assertTrue(log.all().stream().noneMatch(l -> l.indexOf('\r') >= 0 || l.indexOf('\n') >= 0), "escaped");
      // Both failed connections gave their slots back: the server's two are free again.
      try (FtpLineClient a = FtpLineClient.behindProxy(PROXY, server.ftpPort(), v1("127.0.0.9", 0));
          FtpLineClient b = FtpLineClient.behindProxy(PROXY, server.ftpPort(), v1("127.0.0.10", 0))) {
        assertEquals("220", a.reply().substring(0, 3));
        assertEquals("220", b.reply().substring(0, 3));
      }
    }
  }

  @Test
  void anUntrustedSourceSendingAHeaderIsNotBelieved() throws Exception {
    try (LogLines log = new LogLines(); FtpServer server = start(ServerConfig.forTests(dir).withConnectionCaps(100, 1));
        FtpLineClient liar = FtpLineClient.from("127.0.0.5", server.ftpPort())) {
      assertEquals("220", liar.reply().substring(0, 3), "greeted as any client: nothing is read first");
      liar.sendRaw(v1("127.0.0.9", server.ftpPort()));
      String reply = liar.reply();
      assertTrue(reply.startsWith("530 "), "the header is a command like any other, before login: " + reply);
      try (FtpLineClient second = FtpLineClient.from("127.0.0.5", server.ftpPort())) {
        second.sendRaw(v1("127.0.0.10", server.ftpPort()));
        String refused = second.reply();
        assertTrue(refused.startsWith("421 ") && refused.contains("from 127.0.0.5"), "still 127.0.0.5: " + refused);
      }
      assertTrue(log.containing("127.0.0.9", 200).isEmpty(), "never logged as the client it claimed");
    }
  }

  @Test
  void aHeaderArrivingOneByteAtATimeHoldsNoBystander() throws Exception {
    try (FtpServer server = start(ServerConfig.forTests(dir))) {
      FtpLineClient c = new FtpLineClient(server.ftpPort()); // 127.0.0.1: not the proxy
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      Bystander.loopStats(server.port());
      try (Bystander bystander = Bystander.start(() -> {
        String reply = c.command("PWD");
        if (!reply.startsWith("257")) throw new AssertionError("PWD answered " + reply);
      }, c); Socket slow = fromProxy(server.ftpPort())) {
        OutputStream out = slow.getOutputStream();
        byte[] header = v1("127.0.0.9", server.ftpPort());
        for (byte b : header) {
          out.write(b);
          out.flush();
          Thread.sleep(25);
        }
        byte[] greeting = slow.getInputStream().readNBytes(3);
        assertEquals("220", new String(greeting, StandardCharsets.US_ASCII), "greeted once its header is whole");
        Bystander.assertFair("a PROXY header one byte at a time", bystander.stop(), server.port());
      }
    }
  }
}
