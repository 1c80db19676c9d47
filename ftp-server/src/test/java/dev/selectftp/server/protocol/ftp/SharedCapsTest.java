package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection caps bound the server, not each door: both listeners count against one total. */
class SharedCapsTest {
  private static final int PER_ADDRESS = 2;
  private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

  @TempDir Path dir;
  private FtpServer server;

  @BeforeEach
  void start() throws Exception {
    server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0).withConnectionCaps(100, PER_ADDRESS));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A SelectFTP connection that has read its hello, so the server has admitted it. */
  private Socket selectFtp() throws Exception {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] frame = in.readNBytes(in.readInt());
    assertTrue(MessageCodec.decodeResponse(frame) instanceof Response.Hello);
    return socket;
  }

  @Test
  void aClientAtItsPerAddressCapOnTheSelectFtpDoorIsRefusedOnTheFtpDoor() throws Exception {
    try (Socket first = selectFtp(); Socket second = selectFtp()) {
      try (FtpLineClient ftp = new FtpLineClient(server.ftpPort())) {
        String reply = ftp.reply();
        assertTrue(reply.startsWith("421 ") && reply.contains("too many connections"), reply);
      }
    }
    // The two SelectFTP connections are gone: their slots come back to the FTP door too.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    String reply = "";
    while (Instant.now().isBefore(deadline)) {
      try (FtpLineClient ftp = new FtpLineClient(server.ftpPort())) {
        reply = ftp.reply();
      }
      if (reply.startsWith("220")) break;
      Thread.sleep(50);
    }
    assertEquals("220", reply.substring(0, 3), reply);
  }
}
