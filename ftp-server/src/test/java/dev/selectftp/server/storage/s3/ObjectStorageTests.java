package dev.selectftp.server.storage.s3;

import dev.selectftp.server.testing.ThrowawayS3;

/** What tests of a server on S3 share: the store's keys, given the way the server reads them. */
public final class ObjectStorageTests {
  private ObjectStorageTests() {}

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
