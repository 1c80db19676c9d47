package dev.selectftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.admin.Terminal;
import dev.selectftp.server.protocol.ftp.PassivePorts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --ftp-passive-ports A-B} and {@code --ftp-public-address ADDR}, from flags or the config file. */
class PassiveOptionsTest {
  @TempDir Path dir;

  private static ServerConfig config(String... args) throws Settings.Invalid {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    var cmd = Main.commandLine(Terminal.streams(new ByteArrayInputStream(new byte[0]), sink, sink));
    cmd.parseArgs(args);
    return ((Main) cmd.getCommand()).settings().toServerConfig();
  }

  /** Exit code and stderr of {@code ftp-server args}. */
  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(Terminal.streams(new ByteArrayInputStream(new byte[0]), out, err), args);
    return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8)};
  }

  private static void assertUsageError(String[] result, String... containing) {
    assertEquals("2", result[0], result[1]);
    assertEquals(1, result[1].lines().count(), result[1]);
    for (String c : containing) assertTrue(result[1].contains(c), "'" + c + "' in " + result[1]);
  }

  @Test
  void byDefaultAnyFreePortAndTheAddressTheClientReached() throws Exception {
    ServerConfig c = config();
    assertEquals(PassivePorts.ANY, c.ftpPassivePorts());
    assertNull(c.ftpPublicAddress());
  }

  @Test
  void flagsAndConfigFileSetTheRangeAndThePublicAddress() throws Exception {
    ServerConfig c = config("--ftp-passive-ports", "50000-50099", "--ftp-public-address", "203.0.113.7");
    assertEquals(new PassivePorts(50_000, 50_099), c.ftpPassivePorts());
    assertEquals(InetAddress.getByName("203.0.113.7"), c.ftpPublicAddress());
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "ftp-passive-ports = 40000-40009\nftp-public-address = 198.51.100.1\n");
    ServerConfig f = config("--config", file.toString());
    assertEquals(new PassivePorts(40_000, 40_009), f.ftpPassivePorts());
    assertEquals(InetAddress.getByName("198.51.100.1"), f.ftpPublicAddress());
    assertEquals(new PassivePorts(40_100, 40_100),
        config("--config", file.toString(), "--ftp-passive-ports", "40100-40100").ftpPassivePorts(), "flags win");
  }

  @Test
  void aBadRangeOrAddressIsAUsageErrorOnOneLine() throws Exception {
    assertUsageError(run("--ftp-passive-ports", "1000-2000"), "--ftp-passive-ports", "1024");
    assertUsageError(run("--ftp-passive-ports", "6000-5000"), "--ftp-passive-ports");
    assertUsageError(run("--ftp-passive-ports", "60000-70000"), "--ftp-passive-ports");
    assertUsageError(run("--ftp-passive-ports", "50000"), "--ftp-passive-ports", "A-B");
    assertUsageError(run("--ftp-public-address", "::1"), "ftp-public-address", "IPv4");
    assertUsageError(run("--ftp-public-address", "no.such.host.invalid"), "ftp-public-address", "unknown");
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "ftp-passive-ports = 70-80\n");
    assertUsageError(run("--config", file.toString()), "line 1", "ftp-passive-ports");
  }
}
