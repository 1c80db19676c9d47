package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.storage.s3.ObjectStorageTests;
import dev.selectftp.server.testing.HeldBackUpload;
import dev.selectftp.server.testing.SlowS3Server;
import dev.selectftp.server.testing.SpoolWatch;
import dev.selectftp.server.testing.ThrowawayS3;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back-pressure on the SelectFTP door: homes on S3 (S3Proxy) behind a link far slower than the client on
 * loopback ({@link HeldBackUpload}, {@link SlowS3Server}). The upload must stop reading its client while its parts wait for the
 * store, so the node's spool stays at a few parts, the {@code put-commit} is answered within the time those
 * few parts take (not the whole file's), and a bystander is served all along.
 */
@Timeout(180)
class SlowS3UploadTest {
  /** When the second test's store goes away: a few parts into the upload. */
  private static final long GONE_AFTER_MILLIS = 3_000;

  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();
  @TempDir Path dir;

  @Test
  void anUploadFasterThanTheStoreWaitsForItsPartsSoTheSpoolStaysSmallAndTheCommitIsPrompt() throws Exception {
    byte[] content = HeldBackUpload.content();
    String sha256 = RawClient.sha256(content);
    try (SlowS3Server slow = SlowS3Server.start(STORE, dir, "slow", config -> config)) {
      FtpServer server = slow.server();
      Bystander.Measured seen;
      try (SpoolWatch spool = SpoolWatch.of(dir);
          RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456");
          Bystander bystander = Bystander.pwd(server.port())) {
        c.socket.setSoTimeout(HeldBackUpload.REPLY_TIMEOUT_MILLIS);
        c.socket.setSendBufferSize(HeldBackUpload.CLIENT_SEND_BUFFER);
        Bystander.loopStats(server.port()); // from here: the upload's passes, not the server's start
        c.send(new Request.Put("big.bin", content.length));
        c.expect(Response.PutReady.class);
        c.send(new Request.PutData(0, content.length));
        long start = System.nanoTime();
        c.sendBytes(content);
        long lastByte = System.nanoTime();
        c.send(new Request.PutCommit(sha256));
        Response.PutDone done = c.expect(Response.PutDone.class);
        long commitNanos = System.nanoTime() - lastByte;
        seen = bystander.stop();
        assertEquals(sha256, done.sha256());
        HeldBackUpload.assertHeldBack("SelectFTP", spool, lastByte - start, commitNanos);
      }
      Bystander.assertFair("an upload held back by a slow store", seen, server.port());
      assertEquals(sha256, ObjectStorageTests.awaitLabel(STORE.client(), "slow/xiaoyu/big.bin"));
    }
  }

  @Test
  @Timeout(90) // held for ever if a failed part never let the upload read on
  void anUploadHeldBackByAStoreThatGoesAwayIsReadOnAndRefusedAtItsCommit() throws Exception {
    byte[] content = HeldBackUpload.content();
    try (SlowS3Server slow = SlowS3Server.start(STORE, dir, "gone", config -> config);
        RawClient c = RawClient.connect(slow.server().port()).login("xiaoyu", "123456")) {
      c.socket.setSoTimeout(HeldBackUpload.REPLY_TIMEOUT_MILLIS);
      c.socket.setSendBufferSize(HeldBackUpload.CLIENT_SEND_BUFFER);
      c.send(new Request.Put("gone.bin", content.length));
      c.expect(Response.PutReady.class);
      c.send(new Request.PutData(0, content.length));
      Thread cut = new Thread(() -> {
        try {
          Thread.sleep(GONE_AFTER_MILLIS); // parts are on their way and the upload is held back
          slow.relay().close(); // the store is unreachable from now on: the parts in flight and those queued fail
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      cut.start();
      long start = System.nanoTime();
      c.sendBytes(content); // returns only if the failed parts let the upload read on
      long sendNanos = System.nanoTime() - start;
      cut.join();
      c.send(new Request.PutCommit(RawClient.sha256(content)));
      Response answer = c.next();
      assertTrue(answer instanceof Response.Error error && !error.code().equals(ErrorCode.CHECKSUM_MISMATCH.code()),
          "the commit of an upload whose parts failed is refused for the store: " + answer);
      // The store's failure freed the upload: the rest was read at loopback speed, not the store's.
      assertTrue(sendNanos < TimeUnit.MILLISECONDS.toNanos(GONE_AFTER_MILLIS) + HeldBackUpload.SIZE * 1_000_000_000L
          / HeldBackUpload.STORE_RATE / 2, "the client was held " + sendNanos / 1e9 + " s");
    }
  }
}
