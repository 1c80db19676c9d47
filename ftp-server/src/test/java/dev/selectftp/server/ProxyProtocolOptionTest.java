package dev.selectftp.server;

import static dev.selectftp.server.FtpPortOptionTest.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.admin.Terminal;
import dev.selectftp.server.net.ProxySources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --proxy-protocol-from ADDR[/BITS][,...]}, from flags or the config file; off by default. */
class ProxyProtocolOptionTest {
  @TempDir Path dir;

  @Test
  void byDefaultNoSourceMustSendAHeader() throws Exception {
    assertEquals(ProxySources.NONE, config().proxyProtocolFrom());
    assertTrue(ServerConfig.defaults(dir).proxyProtocol().from().isEmpty());
  }

  @Test
  void flagAndConfigFileNameTheTrustedProxies() throws Exception {
    ServerConfig c = config("--proxy-protocol-from", "10.0.0.5,192.168.1.0/24");
    assertTrue(c.proxyProtocol().expectsHeader(InetAddress.getByName("192.168.1.77")));
    assertFalse(c.proxyProtocol().expectsHeader(InetAddress.getByName("10.0.0.6")));
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "proxy-protocol-from = fd00::/8\n");
    assertTrue(config("--config", file.toString()).proxyProtocol().expectsHeader(InetAddress.getByName("fd00::1")));
  }

  @Test
  void theHeaderIsDueWithinTheFrameTimeoutOrTheIdleTimeoutWhenShorter() throws Exception {
    assertEquals(Duration.ofSeconds(10), config().proxyProtocol().headerTimeout());
    assertEquals(Duration.ofSeconds(3), config("--idle-timeout", "3").proxyProtocol().headerTimeout());
  }

  @Test
  void aHostNameIsAUsageErrorNamingTheOption() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(Terminal.streams(new ByteArrayInputStream(new byte[0]), out, err),
        "--proxy-protocol-from", "haproxy.internal", "--data", dir.toString());
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, message);
    assertTrue(message.contains("--proxy-protocol-from") && message.contains("not an IP address literal"), message);
  }
}
