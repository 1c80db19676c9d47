package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.net.KeytoolTls;
import dev.selectftp.server.tls.TlsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code --tls required} a STOR whose data would go in clear (PROT C) is refused with 522 before it
 * touches the upload: a held interrupted upload of that name keeps every byte, and SIZE still answers it.
 * Real server, real keytool certificate, raw FTPS client.
 */
class FtpsPartialKeptTest {
  private static final int HELD = 100_000;
  private static final long SETTLE_MILLIS = 5_000;

  @TempDir Path dir;

  private static String code(String reply) {
    return reply.substring(0, 3);
  }

  /** SIZE once the cut upload has settled (its name is free again). */
  private static String settledSize(FtpsLineClient c, String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
    while (true) {
      String reply = c.command("SIZE " + name);
      if (reply.startsWith("213") || System.nanoTime() > deadline) return reply;
      Thread.sleep(20);
    }
  }

  @Test
  void aStorUnderProtCGets522AndTheInterruptedUploadOfThatNameStaysAsItWas() throws Exception {
    KeytoolTls tls = KeytoolTls.generate(dir.resolve("tls"));
    byte[] body = new byte[HELD];
    Arrays.fill(body, (byte) 'k');
    Path partial = dir.resolve("data/home/xiaoyu/.p.bin.selectftp-part");
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir.resolve("data")).withFtpPort(0)
            .withTls(new TlsSettings(TlsOffer.REQUIRED, null, null)), tls);
        FtpsLineClient c = new FtpsLineClient(server.ftpPort())) {
      SSLContext client = tls.clientContext();
      assertEquals("200", code(c.loginOverTls(client)));
      int port = c.passive();
      c.sendRaw("STOR p.bin\r\n".getBytes(StandardCharsets.US_ASCII));
      try (TlsDataClient data = c.resuming(port, client)) {
        assertEquals("150", code(c.reply()));
        data.handshake();
        data.write(body);
        data.cut(); // no close_notify: the upload is interrupted, not finished
        String cut = c.reply();
        assertTrue(cut.startsWith("426"), cut);
      }
      assertEquals("213 " + HELD, settledSize(c, "p.bin"), "the interrupted upload is held");
      assertEquals(HELD, Files.size(partial));

      assertEquals("200", code(c.command("PROT C")));
      c.passive();
      String refused = c.command("STOR p.bin");
      assertEquals("522", code(refused), "data in clear is refused under --tls required: " + refused);

      assertEquals("213 " + HELD, c.command("SIZE p.bin"), "SIZE still answers the interrupted upload");
    }
    assertEquals(HELD, Files.size(partial), "the refused STOR did not touch the partial");
  }
}
