package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.storage.s3.ObjectStorageTests;
import dev.selectftp.server.storage.s3.ObjectUpload;
import dev.selectftp.server.storage.s3.S3Location;
import dev.selectftp.server.testing.SpoolWatch;
import dev.selectftp.server.testing.ThrottledRelay;
import dev.selectftp.server.testing.ThrowawayS3;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back-pressure on the SelectFTP door: homes on S3 (S3Proxy) behind a link of {@link #STORE_RATE}, far
 * slower than the client on loopback. The upload must stop reading its client while its parts wait for the
 * store, so the node's spool never holds more than the bound of parts queued or in flight plus the one being
 * filled, the {@code put-commit} is answered within the time those few parts take (not the whole file's),
 * and a bystander is served all along.
 */
@Timeout(180)
class SlowS3UploadTest {
  /** The store's pace: 4 MiB/s, a sixteenth of the file per two seconds. */
  static final long STORE_RATE = 4L << 20;
  /** Eight parts and a tail: without back-pressure the client is done long before the store. */
  static final int SIZE = 8 * ObjectUpload.PART_SIZE + 12_345;
  /**
   * Bytes the client's last write may leave in TCP buffers on loopback before the server reads them: the
   * client's send buffer is kept small, but the server's receive buffer grows by itself (to 32 MiB here).
   */
  static final long IN_SOCKETS = 2L * ObjectUpload.PART_SIZE;
  /**
   * The most the commit may wait for, as bytes at the store's pace measured in the same run (so a loaded
   * machine does not move it): the bound of parts, the one being filled, and what the sockets hold. Without
   * back-pressure it is nearly the whole file (measured 63 of 64 MiB; with it, 24 to 29 MiB).
   */
  static final long COMMIT_WAITS_FOR_AT_MOST =
      (ObjectStorageTests.MAX_UNSENT_PARTS + 1) * (long) ObjectUpload.PART_SIZE + IN_SOCKETS;
  /** The client's send buffer: small, so its last write returns close to the server's last read. */
  private static final int CLIENT_SEND_BUFFER = 256 * 1024;
  /** Room for the commit answer when the server is wrong, so the test fails on its assertion, not a timeout. */
  private static final int REPLY_TIMEOUT_MILLIS = 120_000;

  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();
  @TempDir Path dir;

  @BeforeAll
  static void credentials() {
    ObjectStorageTests.useStoreCredentials();
  }

  @Test
  void anUploadFasterThanTheStoreWaitsForItsPartsSoTheSpoolStaysSmallAndTheCommitIsPrompt() throws Exception {
    byte[] content = new byte[SIZE];
    new Random(13).nextBytes(content);
    String sha256 = RawClient.sha256(content);
    try (ThrottledRelay slow = ThrottledRelay.start(STORE.endpoint(), STORE_RATE);
        FtpServer server = FtpServer.start(ServerConfig.forTests(dir)
            .withStorage(S3Location.parse("s3://" + ThrowawayS3.BUCKET + "/slow", slow.endpoint())))) {
      Bystander.Measured seen;
      long commitNanos;
      long sendNanos;
      try (SpoolWatch spool = SpoolWatch.of(dir);
          RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456");
          Bystander bystander = Bystander.pwd(server.port())) {
        c.socket.setSoTimeout(REPLY_TIMEOUT_MILLIS);
        c.socket.setSendBufferSize(CLIENT_SEND_BUFFER);
        c.send(new Request.Put("big.bin", SIZE));
        c.expect(Response.PutReady.class);
        c.send(new Request.PutData(0, SIZE));
        long start = System.nanoTime();
        c.sendBytes(content);
        long lastByte = System.nanoTime();
        sendNanos = lastByte - start;
        c.send(new Request.PutCommit(sha256));
        Response.PutDone done = c.expect(Response.PutDone.class);
        commitNanos = System.nanoTime() - lastByte;
        seen = bystander.stop();
        assertEquals(sha256, done.sha256());
        System.out.printf("[slow store] %d MiB at %d MiB/s: sent in %.1f s, commit answered %.1f s after the "
            + "last byte (%.0f MiB at the store's pace), at most %d part files in the spool (%d samples)%n",
            SIZE >> 20, STORE_RATE >> 20, sendNanos / 1e9, commitNanos / 1e9,
            (double) SIZE * commitNanos / (sendNanos + commitNanos) / (1 << 20), spool.most(), spool.samples());
        assertTrue(spool.samples() > 100, "the spool was watched throughout");
        assertTrue(spool.most() <= ObjectStorageTests.MAX_UNSENT_PARTS + 1, "the spool held " + spool.most()
            + " parts of one upload at once: the client was read faster than the store took its parts");
      }
      // The store's pace as this run saw it: it took the whole file in the upload's whole time.
      double bytesPerNano = (double) SIZE / (sendNanos + commitNanos);
      long waitedFor = (long) (commitNanos * bytesPerNano);
      assertTrue(waitedFor <= COMMIT_WAITS_FOR_AT_MOST, "the put-commit was answered " + commitNanos / 1e9
          + " s after the last byte: " + (waitedFor >> 20) + " MiB at the store's pace, more than the "
          + (COMMIT_WAITS_FOR_AT_MOST >> 20) + " MiB of the bound");
      Bystander.assertFair("an upload held back by a slow store", seen, server.port());
      assertEquals(sha256, ObjectStorageTests.awaitLabel(STORE.client(), "slow/xiaoyu/big.bin"));
    }
  }
}
