package dev.selectftp.server.storage.s3;

import dev.selectftp.server.testing.ThrowawayS3;
import java.time.Duration;
import software.amazon.awssdk.services.s3.S3Client;

/** What tests of a server on S3 share: the store's keys, given the way the server reads them. */
public final class ObjectStorageTests {
  /** How long a commit's SHA-256 label, set by a server-side copy after the commit, may take to appear. */
  private static final Duration LABEL_WAIT = Duration.ofSeconds(20);
  /** Parts an upload may have queued or in flight before it stops reading its sender (the server's bound). */
  public static final int MAX_UNSENT_PARTS = UnsentParts.MAX_UNSENT_PARTS;
  /** One ranged GET of a download (the server's window). */
  public static final long WINDOW_BYTES = ReadAheadWindows.WINDOW_BYTES;
  /** Windows one download may hold in the spool at once (the server's bound). */
  public static final int MAX_WINDOWS = ReadAheadWindows.MAX_WINDOWS;

  private ObjectStorageTests() {}

  /** The {@code x-amz-meta-sha256} of {@code key} once it is there, or null when it never came. */
  public static String awaitLabel(S3Client s3, String key) throws InterruptedException {
    long deadline = System.nanoTime() + LABEL_WAIT.toNanos();
    while (true) {
      String label = s3.headObject(r -> r.bucket(ThrowawayS3.BUCKET).key(key)).metadata().get(ObjectUpload.SHA256_METADATA);
      if (label != null || System.nanoTime() > deadline) return label;
      Thread.sleep(50);
    }
  }

  /**
   * Hands {@link ThrowawayS3}'s keys to the SDK's default chain the server uses: its first link reads the
   * {@code aws.accessKeyId} / {@code aws.secretAccessKey} system properties (the environment variables
   * cannot be set from inside the JVM).
   */
  public static void useStoreCredentials() {
    System.setProperty("aws.accessKeyId", ThrowawayS3.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", ThrowawayS3.SECRET_KEY);
  }
}
