package dev.selectftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FTP door's port at start: a taken port fails the start with one line that names it, and the SelectFTP
 * port the server had bound is free again, so a corrected restart can take it.
 */
class FtpPortTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path dir;

  @Test
  void aTakenFtpPortFailsTheStartNamingThePortAndFreesTheSelectFtpPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      int selectFtpPort = freePort();
      InetSocketAddress bind = new InetSocketAddress(LOOPBACK, selectFtpPort);
      ServerConfig config = ServerConfig.forTests(dir).withBind(bind).withFtpPort(taken.getLocalPort());
      BindException e = assertThrows(BindException.class, () -> FtpServer.start(config));
      assertTrue(e.getMessage().startsWith("FTP port " + taken.getLocalPort() + ": "), e.getMessage());
      try (FtpServer again = FtpServer.start(ServerConfig.forTests(dir).withBind(bind))) {
        assertEquals(selectFtpPort, again.port(), "the failed start let go of its SelectFTP port");
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }
}
