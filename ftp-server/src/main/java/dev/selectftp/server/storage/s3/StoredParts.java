package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * What an unfinished multipart upload holds that can be continued: its run of whole parts 1..n (each of the
 * upload's part size) as ListParts reports them. A part after a gap, or a short one, ends the run: what
 * follows it is sent again. Also the newest LastModified of the parts read, the upload's last write (its
 * {@code Initiated} cannot tell: S3Proxy reports the time of the listing there).
 *
 * @param uploadId the multipart upload
 * @param run parts 1..n, in order, ready to name in CompleteMultipartUpload
 * @param bytes the bytes the run holds: where an upload resumed on it continues
 * @param newest the newest LastModified of the parts read, or null when there are none
 */
record StoredParts(String uploadId, List<CompletedPart> run, long bytes, Instant newest) {
  StoredParts {
    run = List.copyOf(run);
  }

  /**
   * Blocking (ListParts, paged): the run of {@code uploadId}'s parts of {@code partSize} bytes, at most
   * {@code most} of them (it stops reading there), or empty when the store has no such upload (completed or
   * aborted meanwhile).
   */
  static Optional<StoredParts> of(S3Client s3, String bucket, String key, String uploadId, int partSize, int most)
      throws IOException {
    List<CompletedPart> run = new ArrayList<>();
    Instant newest = null;
    boolean ended = false;
    Integer marker = null;
    try {
      do {
        Integer after = marker;
        ListPartsResponse r = io("list parts", () -> s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId)
            .partNumberMarker(after)));
        for (Part p : r.parts()) {
          if (run.size() == most) break;
          Instant written = p.lastModified();
          if (newest == null || (written != null && written.isAfter(newest))) newest = written;
          if (ended || p.partNumber() != run.size() + 1 || p.size() != partSize) {
            ended = true;
            continue;
          }
          run.add(CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).build());
        }
        marker = Boolean.TRUE.equals(r.isTruncated()) && run.size() < most ? r.nextPartNumberMarker() : null;
      } while (marker != null);
    } catch (IOException e) {
      if (S3Calls.answered(e, S3Calls.NOT_FOUND)) return Optional.empty(); // NoSuchUpload
      throw e;
    }
    return Optional.of(new StoredParts(uploadId, run, (long) run.size() * partSize, newest));
  }

  /** Parts in the run. */
  int count() {
    return run.size();
  }
}
