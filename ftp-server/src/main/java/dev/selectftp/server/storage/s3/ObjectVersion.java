package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The one version of an object a download reads, fetched by ranges: every GET carries {@code If-Match} with
 * the ETag the object had when opened, so an object replaced meanwhile fails the read ("changed while being
 * read", from S3's 412) instead of sending a mix of two versions.
 */
final class ObjectVersion {
  /** HTTP status of a failed If-Match. */
  private static final int PRECONDITION_FAILED = 412;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final String eTag;

  /** @param eTag the version every GET insists on ({@code If-Match}) */
  ObjectVersion(S3Client s3, String bucket, String key, String eTag) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.eTag = eTag;
  }

  /**
   * Fetcher thread, blocking: fills {@code window} from one ranged GET of this version, telling
   * {@code arrived} after each chunk ({@link ReadWindow#fill}); returns early, without error, once the
   * window is dropped, and then cuts the connection rather than read the rest of the window to reuse it.
   *
   * @throws IOException the object changed (412), the GET failed, or its answer failed mid-way
   */
  void fill(ReadWindow window, Runnable arrived) throws IOException {
    ResponseInputStream<GetObjectResponse> in = null;
    try {
      in = io("get", () -> s3.getObject(r -> r.bucket(bucket).key(key).range(window.range()).ifMatch(eTag)));
      window.fill(in, arrived);
    } catch (IOException e) {
      if (S3Calls.answered(e, PRECONDITION_FAILED)) {
        throw new IOException("the file changed on the store while being read", e);
      }
      throw in == null ? e : new IOException("S3 get failed mid-answer: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IOException("S3 get failed: " + e, e);
    } finally {
      if (in != null) {
        if (window.dropped()) in.abort();
        try {
          in.close();
        } catch (IOException | RuntimeException e) {
          // Closing after a failure or an abort: nothing more to learn.
        }
      }
    }
  }
}
