package dev.selectftp.server.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.storage.s3.ObjectStorageTests;
import dev.selectftp.server.storage.s3.ObjectUpload;
import java.util.Random;

/**
 * What the back-pressure tests of both doors share: an upload far faster than its store (a client on loopback,
 * S3Proxy behind a {@link ThrottledRelay} of {@link #STORE_RATE}), and the checks that the server held the
 * client back rather than let the store fall behind: the spool never held more than the bound of parts
 * queued or in flight plus the one being filled, and the commit waited for about as many bytes, not for
 * nearly the whole file.
 */
public final class HeldBackUpload {
  /** The store's pace: 4 MiB/s. */
  public static final long STORE_RATE = 4L << 20;
  /** Eight parts and a tail: without back-pressure the client is done long before the store. */
  public static final int SIZE = 8 * ObjectUpload.PART_SIZE + 12_345;
  /** The client's send buffer: small, so its last write returns close to the server's last read. */
  public static final int CLIENT_SEND_BUFFER = 256 * 1024;
  /** Room for the commit answer when the server is wrong, so a test fails on its assertion, not a timeout. */
  public static final int REPLY_TIMEOUT_MILLIS = 120_000;
  /**
   * Bytes the client's last write may leave in TCP buffers on loopback before the server reads them: the
   * client's send buffer is kept small, but the server's receive buffer grows by itself (to 32 MiB here).
   */
  static final long IN_SOCKETS = 2L * ObjectUpload.PART_SIZE;
  /**
   * The most the commit may wait for, as bytes at the store's pace measured in the same run (so a loaded
   * machine does not move it): the bound of parts, the one being filled, and what the sockets hold. Without
   * back-pressure it is nearly the whole file (measured 61-63 of 64 MiB; with it, 16-29 MiB).
   */
  static final long COMMIT_WAITS_FOR_AT_MOST =
      (ObjectStorageTests.MAX_UNSENT_PARTS + 1) * (long) ObjectUpload.PART_SIZE + IN_SOCKETS;
  /** Fewer spool samples than this means the watch proves nothing. */
  private static final int MIN_SAMPLES = 100;

  private HeldBackUpload() {}

  /** {@link #SIZE} random bytes. */
  public static byte[] content() {
    byte[] content = new byte[SIZE];
    new Random(13).nextBytes(content);
    return content;
  }

  /**
   * Fails unless the upload was held back: {@code spool} (watched throughout) never held more than the bound
   * plus one part, and the commit, answered {@code commitNanos} after the last byte of a send that took
   * {@code sendNanos}, waited for at most {@link #COMMIT_WAITS_FOR_AT_MOST} bytes at the store's pace.
   */
  public static void assertHeldBack(String door, SpoolWatch spool, long sendNanos, long commitNanos) {
    // The store's pace as this run saw it: it took the whole file in the upload's whole time.
    double bytesPerNano = (double) SIZE / (sendNanos + commitNanos);
    long waitedFor = (long) (commitNanos * bytesPerNano);
    System.out.printf("[slow store] %s, %d MiB at %d MiB/s: sent in %.1f s, commit answered %.1f s after the "
        + "last byte (%d MiB at the store's pace), at most %d part files in the spool (%d samples)%n", door,
        SIZE >> 20, STORE_RATE >> 20, sendNanos / 1e9, commitNanos / 1e9, waitedFor >> 20, spool.most(),
        spool.samples());
    assertTrue(spool.samples() > MIN_SAMPLES, "the spool was watched throughout");
    assertTrue(spool.most() <= ObjectStorageTests.MAX_UNSENT_PARTS + 1, door + ": the spool held " + spool.most()
        + " parts of one upload at once: the client was read faster than the store took its parts");
    assertTrue(waitedFor <= COMMIT_WAITS_FOR_AT_MOST, door + ": the commit was answered " + commitNanos / 1e9
        + " s after the last byte: " + (waitedFor >> 20) + " MiB at the store's pace, more than the "
        + (COMMIT_WAITS_FOR_AT_MOST >> 20) + " MiB of the bound");
  }
}
