package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A password in plain text is taken only over loopback (as vsftpd's force_local_logins_ssl). */
class PlainLoginTest {
  @TempDir Path dir;

  /** An IPv4 address of this machine that is not loopback, if it has one. */
  private static Optional<InetAddress> nonLoopback() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) continue;
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  @Test
  void theRightPasswordFromANonLoopbackAddressGets530AndNoLogin() throws Exception {
    Optional<InetAddress> address = nonLoopback();
    assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address");
    ServerConfig config = ServerConfig.forTests(dir).withBind(new InetSocketAddress(address.get(), 0)).withFtpPort(0);
    try (FtpServer server = FtpServer.start(config);
        Socket s = new Socket(address.get(), server.ftpPort())) {
      s.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      assertTrue(in.readLine().startsWith("220"));
      out.write("USER xiaoyu\r\nPASS 123456\r\nPWD\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(in.readLine().startsWith("331"));
      String pass = in.readLine();
      assertEquals("530", pass.substring(0, 3), pass);
      assertEquals("530", in.readLine().substring(0, 3), "still not logged in");
    }
  }
}
