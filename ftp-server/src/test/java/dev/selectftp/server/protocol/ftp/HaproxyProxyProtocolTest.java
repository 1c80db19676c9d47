package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.net.ProxySources;
import dev.selectftp.server.testing.LogLines;
import dev.selectftp.server.testing.ThrowawayHaproxy;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real HAProxy ({@code send-proxy} and {@code send-proxy-v2}) in front of a real node for both doors and its
 * passive range, the node trusting HAProxy's address ({@value ThrowawayHaproxy#ADDRESS}): clients bound to
 * 127.0.0.5 and 127.0.0.6 are told apart by the per-address cap and in the log, FTP data connections through
 * the balancer reach them, and the node's own port refuses a header-less connection from the balancer's address
 * and does not believe a header from anyone else. Skipped without the haproxy binary.
 */
class HaproxyProxyProtocolTest {
  private static final String CLIENT = "127.0.0.5";
  private static final String OTHER_CLIENT = "127.0.0.6";

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = ThrowawayHaproxy.Header.class, names = {"V1", "V2"})
  void eachClientBehindHaproxyIsSeenAtItsOwnAddress(ThrowawayHaproxy.Header header) throws Exception {
    ThrowawayHaproxy.requireBinary();
    int first = ThrowawayHaproxy.freeRange();
    ThrowawayHaproxy.Node node = new ThrowawayHaproxy.Node(ThrowawayHaproxy.freePort(), ThrowawayHaproxy.freePort(),
        first, first + ThrowawayHaproxy.PASSIVE_PORTS - 1);
    ServerConfig config = ServerConfig.forTests(dir)
        .withBind(new InetSocketAddress(InetAddress.getByName(ThrowawayHaproxy.NODE_ADDRESS), node.selectFtpPort()))
        .withFtpPort(node.ftpPort()).withConnectionCaps(100, 1)
        .withFtpPassivePorts(PassivePorts.parse(first + "-" + node.passiveLast()))
        .withFtpPublicAddress(InetAddress.getByName(ThrowawayHaproxy.ADDRESS))
        .withProxyProtocolFrom(ProxySources.parse(ThrowawayHaproxy.ADDRESS));
    try (LogLines log = new LogLines(); FtpServer server = FtpServer.start(config);
        ThrowawayHaproxy balancer = ThrowawayHaproxy.start(List.of(node), header);
        FtpLineClient c = FtpLineClient.from(CLIENT, balancer.ftpPort())) {
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      // 127.0.0.5 holds its one slot; 127.0.0.6, through the same balancer, has its own.
      try (FtpLineClient again = FtpLineClient.from(CLIENT, balancer.ftpPort())) {
        String reply = again.reply();
        assertTrue(reply.startsWith("421 ") && reply.contains("from " + CLIENT), reply);
      }
      try (FtpLineClient other = FtpLineClient.from(OTHER_CLIENT, balancer.ftpPort())) {
        assertEquals("220", other.reply().substring(0, 3), "another client behind the same balancer");
      }
      // A passive data connection through the balancer's forwarded range carries a header naming 127.0.0.5.
      int port = c.passivePort();
      try (Socket data = new Socket()) {
        data.bind(new InetSocketAddress(InetAddress.getByName(CLIENT), 0));
        data.connect(new InetSocketAddress(InetAddress.getByName(ThrowawayHaproxy.ADDRESS), port));
        data.setSoTimeout(10_000);
        c.sendRaw("NLST\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("150", c.reply().substring(0, 3));
        try (InputStream in = data.getInputStream()) {
          assertEquals("notes\r\nsample.bin\r\nwelcome.txt\r\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      assertEquals("226", c.reply().substring(0, 3));
      assertFalse(log.containing(CLIENT + ": refused: too many connections from " + CLIENT, 5_000).isEmpty(),
          log.all().toString());

      // Straight to the node: the balancer's own address without a header gets no greeting...
      try (Socket bare = new Socket(InetAddress.getByName(ThrowawayHaproxy.NODE_ADDRESS), node.ftpPort(),
          InetAddress.getByName(ThrowawayHaproxy.ADDRESS), 0)) {
        bare.setSoTimeout(15_000);
        bare.getOutputStream().write("USER xiaoyu\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(-1, bare.getInputStream().read(), "closed without a greeting");
      }
      // ...and a header from an untrusted address is a mere command, its sender still itself.
      try (FtpLineClient liar = new FtpLineClient(new Socket(InetAddress.getByName(ThrowawayHaproxy.NODE_ADDRESS),
          node.ftpPort(), InetAddress.getByName(OTHER_CLIENT), 0))) {
        assertEquals("220", liar.reply().substring(0, 3), "greeted at once: no header awaited");
        liar.sendRaw(ProxyProtocolTest.v1(CLIENT, node.ftpPort()));
        assertTrue(liar.reply().startsWith("530 "), "a command before login");
        try (FtpLineClient second = FtpLineClient.from(OTHER_CLIENT, balancer.ftpPort())) {
          String reply = second.reply();
          assertTrue(reply.startsWith("421 ") && reply.contains("from " + OTHER_CLIENT), reply);
        }
      }
    }
  }
}
