package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.hostile.Bystander;
import dev.selectftp.server.storage.s3.ObjectStorageTests;
import dev.selectftp.server.testing.HeldBackUpload;
import dev.selectftp.server.testing.SlowS3Server;
import dev.selectftp.server.testing.SpoolWatch;
import dev.selectftp.server.testing.ThrowawayS3;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back-pressure on the FTP door: a STOR into a home on S3 (S3Proxy) behind a link far slower than the client
 * ({@link HeldBackUpload}, {@link SlowS3Server}). The data connection must stop reading while the upload's parts wait for the
 * store, so the spool stays at a few parts, the 226 comes within the time those few parts take after the
 * client closed its data connection, and a bystander's PWD is answered all along.
 */
@Timeout(180)
class FtpOnSlowS3Test {
  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();
  @TempDir Path dir;

  @Test
  void aStorFasterThanTheStoreIsHeldBackSoTheSpoolStaysSmallAndThe226IsPrompt() throws Exception {
    byte[] content = HeldBackUpload.content();
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    try (SlowS3Server slow = SlowS3Server.start(STORE, dir, "slowftp", config -> config.withFtpPort(0))) {
      FtpServer server = slow.server();
      Bystander.Measured seen;
      try (SpoolWatch spool = SpoolWatch.of(dir);
          FtpLineClient c = new FtpLineClient(server.ftpPort());
          FtpLineClient other = FtpLineClient.from("127.0.0.9", server.ftpPort())) {
        assertTrue(c.login("xiaoyu", "123456").startsWith("230"));
        assertTrue(other.login("xiaoyu", "123456").startsWith("230"));
        c.replyTimeout(HeldBackUpload.REPLY_TIMEOUT_MILLIS);
        Bystander bystander = Bystander.start(() -> assertTrue(other.command("PWD").startsWith("257")), () -> { });
        Bystander.loopStats(server.port()); // from here: the upload's passes, not the server's start
        long start;
        long lastByte;
        try (Socket data = FtpTools.passive(c)) {
          data.setSendBufferSize(HeldBackUpload.CLIENT_SEND_BUFFER);
          assertTrue(c.command("STOR big.bin").startsWith("150"));
          start = System.nanoTime();
          data.getOutputStream().write(content);
          data.shutdownOutput();
          lastByte = System.nanoTime();
        }
        String reply = c.reply();
        long commitNanos = System.nanoTime() - lastByte;
        seen = bystander.stop();
        assertTrue(reply.startsWith("226") && reply.contains(sha256), reply);
        HeldBackUpload.assertHeldBack("FTP", spool, lastByte - start, commitNanos);
      }
      Bystander.assertFair("a STOR held back by a slow store", seen, server.port());
      assertEquals(sha256, ObjectStorageTests.awaitLabel(STORE.client(), "slowftp/xiaoyu/big.bin"));
    }
  }
}
