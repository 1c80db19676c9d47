package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Server-side copy of one object within a bucket, of any size S3 can store. Up to {@link #MULTIPART_THRESHOLD}
 * (5 GiB, CopyObject's largest source) it is one CopyObject; above, S3 refuses CopyObject, so the copy is a
 * multipart upload of the target whose parts are UploadPartCopy requests of byte ranges of the source
 * (CreateMultipartUpload, one UploadPartCopy per {@link #PART_SIZE} range, CompleteMultipartUpload). No byte
 * passes through the node either way.
 *
 * <p><b>Same source throughout.</b> Every ranged part is guarded by the source's ETag read at the start
 * ({@code x-amz-copy-source-if-match}), so an object replaced during the copy fails it (412, an
 * IOException) instead of splicing two versions into the target.
 *
 * <p><b>Metadata.</b> CopyObject keeps the source's metadata; a multipart copy does not copy it, so it is
 * read once (HeadObject) and given to CreateMultipartUpload: the {@code x-amz-meta-sha256} label and the
 * content type survive either way.
 *
 * <p><b>Atomic target.</b> The target appears only at CompleteMultipartUpload, whole. A failure part-way
 * aborts the upload (best effort) and leaves the source untouched; an upload the abort could not reach is
 * an interrupted upload of the target, removed by {@link ObjectSweep} once it is older than the maximum age.
 *
 * <p><b>Threads.</b> Blocking network calls (a multipart copy is {@code 3 + size / PART_SIZE} requests,
 * each of which the store may take a while to answer): helper threads only.
 */
final class ObjectCopy {
  /** CopyObject's largest source; larger objects are copied in ranged parts. */
  static final long MULTIPART_THRESHOLD = ObjectUpload.MAX_COPY_BYTES;
  /**
   * Bytes per ranged part: large, since every part is a request and the copy is server-side, yet well under
   * S3's 5 GiB part maximum so one part answers within the client's socket timeout on a slow store.
   */
  static final long PART_SIZE = 256L * 1024 * 1024;
  /** S3's smallest part except the last, and its largest. */
  private static final long MIN_PART_SIZE = ObjectUpload.MIN_PART_SIZE;
  private static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

  private final S3Client s3;
  private final String bucket;
  private final long threshold;
  private final long partSize;

  ObjectCopy(S3Client s3, String bucket) {
    this(s3, bucket, MULTIPART_THRESHOLD, PART_SIZE);
  }

  /** Lower limits for tests, so a multipart copy of a few MiB happens against a real store. */
  ObjectCopy(S3Client s3, String bucket, long threshold, long partSize) {
    if (threshold < 0 || threshold > MULTIPART_THRESHOLD) throw new IllegalArgumentException("bad threshold");
    if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) throw new IllegalArgumentException("bad part size");
    this.s3 = s3;
    this.bucket = bucket;
    this.threshold = threshold;
    this.partSize = partSize;
  }

  /**
   * Copies {@code source} to {@code target} (replacing any object there), keeping its metadata.
   *
   * @param size the source's size as last seen (a listing or a HEAD); it only picks the method, the ranged
   *     parts follow the size the store reports when the copy starts
   * @throws IOException when the store fails or the source changes or vanishes meanwhile; no target
   *     appears then
   */
  void copy(String source, String target, long size) throws IOException {
    if (size <= threshold) {
      io("copy", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(source)
          .destinationBucket(bucket).destinationKey(target)));
      return;
    }
    HeadObjectResponse head = S3Calls.head(s3, bucket, source)
        .orElseThrow(() -> new IOException("S3 copy failed: the source vanished"));
    if (head.contentLength() <= threshold) {
      // Replaced by a smaller object since it was listed: one CopyObject still copies it whole.
      copy(source, target, head.contentLength());
      return;
    }
    copyInParts(source, target, head);
  }

  /** The multipart copy of the source version {@code head} describes (its ETag, length and metadata). */
  void copyInParts(String source, String target, HeadObjectResponse head) throws IOException {
    long length = head.contentLength();
    // Keep within S3's 10,000 parts for any object it can hold (5 TiB / 10,000 is about 525 MiB).
    long part = Math.max(partSize, ceilDiv(length, ObjectUpload.MAX_PARTS));
    String uploadId = io("create multipart upload", () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(target)
        .metadata(head.metadata()).contentType(head.contentType()))).uploadId();
    boolean done = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      for (long from = 0; from < length; from += part) {
        int number = parts.size() + 1;
        String range = "bytes=" + from + "-" + (Math.min(from + part, length) - 1);
        String eTag = io("upload part copy", () -> s3.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey(source)
            .copySourceIfMatch(head.eTag()).copySourceRange(range)
            .destinationBucket(bucket).destinationKey(target).uploadId(uploadId).partNumber(number)))
            .copyPartResult().eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
      }
      io("complete multipart upload", () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(target)
          .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
      done = true;
    } finally {
      if (!done) abortQuietly(target, uploadId);
    }
  }

  private void abortQuietly(String target, String uploadId) {
    try {
      io("abort multipart upload", () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(target).uploadId(uploadId)));
    } catch (IOException e) {
      // The copy already failed with its own error; ObjectSweep removes the leftover upload later.
    }
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
