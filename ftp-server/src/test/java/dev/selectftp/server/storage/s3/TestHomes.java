package dev.selectftp.server.storage.s3;

import dev.selectftp.server.testing.ThrowawayS3;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Homes of one test on a {@link ThrowawayS3}: a key prefix of its own (named after the test method), so
 * the tests of a class share one S3Proxy without seeing each other's keys. Register per instance with
 * {@code @RegisterExtension final TestHomes homes = new TestHomes(STORE);}.
 */
final class TestHomes implements BeforeEachCallback {
  private final ThrowawayS3 store;
  private String prefix;

  TestHomes(ThrowawayS3 store) {
    this.store = store;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    prefix = "t-" + context.getRequiredTestMethod().getName();
  }

  /** The home of {@code user} under this test's prefix. */
  ObjectHome of(String user) {
    return ObjectHome.of(store.client(), ThrowawayS3.BUCKET, prefix, user);
  }

  /** This test's prefix: {@code prefix() + "/alice/"} starts every key of alice's home. */
  String prefix() {
    return prefix;
  }

  S3Client s3() {
    return store.client();
  }
}
