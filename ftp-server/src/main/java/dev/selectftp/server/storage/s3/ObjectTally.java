package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Whole-home walks of one home on S3, by listing every key under its prefix: the tally for the quota
 * count, and the sweep of stale partials. Blocking: helper threads only; requests in proportion to the keys.
 */
final class ObjectTally {
  private final S3Client s3;
  private final String bucket;
  private final String root;
  private final ObjectPartials partials;

  ObjectTally(S3Client s3, String bucket, String root, ObjectPartials partials) {
    this.s3 = s3;
    this.bucket = bucket;
    this.root = root;
    this.partials = partials;
  }

  /**
   * Bytes and entries held, as the local store counts them: files, folders (a marker, or a prefix some key
   * lies under) and partials (their stored parts; one GET and one ListParts each).
   */
  Tally count() throws IOException {
    long bytes = 0;
    long files = 0;
    Set<String> folders = new HashSet<>();
    for (S3Object o : allKeys()) {
      String rest = o.key().substring(root.length());
      for (int i = rest.indexOf('/'); i >= 0; i = rest.indexOf('/', i + 1)) folders.add(rest.substring(0, i));
      if (rest.isEmpty() || rest.endsWith("/")) continue; // the home's or a folder's marker
      files++;
      bytes += rest.endsWith(ObjectHomeStore.PARTIAL_SUFFIX) ? partials.stat(Path.of(o.key())).size() : o.size();
    }
    return new Tally(bytes, files + folders.size());
  }

  /**
   * Aborts the partials whose state was not saved for {@code maxAge} (no part arrived for that long) unless
   * {@code guard} holds them, and any other multipart upload under the home older than that which no live
   * partial names (one whose first part went out but whose state never did). Returns what the
   * {@link #count} of the home loses.
   */
  Tally deleteStale(Duration maxAge, Instant now, PartialGuard guard) throws IOException {
    Instant cutoff = now.minus(maxAge);
    long bytes = 0;
    long entries = 0;
    Set<String> liveTargets = new HashSet<>();
    for (S3Object o : allKeys()) {
      if (!o.key().endsWith(ObjectHomeStore.PARTIAL_SUFFIX)) continue;
      Path partial = Path.of(o.key());
      String target = ObjectPartials.targetKey(partial);
      if (!o.lastModified().isBefore(cutoff) || !guard.tryHold(partial)) {
        liveTargets.add(target);
        continue;
      }
      try {
        if (partials.busy(partial)) {
          liveTargets.add(target);
          continue;
        }
        bytes += partials.delete(partial);
        entries++;
      } finally {
        guard.release(partial);
      }
    }
    for (MultipartUpload u : allUploads()) {
      boolean orphan = !liveTargets.contains(u.key()) && !partials.busy(Path.of(u.key() + ObjectHomeStore.PARTIAL_SUFFIX));
      if (u.initiated().isBefore(cutoff) && orphan) {
        io("abort multipart upload",
            () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId())));
      }
    }
    return new Tally(bytes, entries);
  }

  private List<S3Object> allKeys() throws IOException {
    List<S3Object> all = new ArrayList<>();
    String token = null;
    do {
      String page = token;
      ListObjectsV2Response r = io("list", () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(root).continuationToken(page)));
      all.addAll(r.contents());
      token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
    } while (token != null);
    return all;
  }

  private List<MultipartUpload> allUploads() throws IOException {
    List<MultipartUpload> all = new ArrayList<>();
    String keyMarker = null;
    String idMarker = null;
    do {
      String k = keyMarker;
      String id = idMarker;
      ListMultipartUploadsResponse r = io("list multipart uploads", () -> s3.listMultipartUploads(b -> b.bucket(bucket)
          .prefix(root).keyMarker(k).uploadIdMarker(id)));
      all.addAll(r.uploads());
      boolean more = Boolean.TRUE.equals(r.isTruncated());
      keyMarker = more ? r.nextKeyMarker() : null;
      idMarker = more ? r.nextUploadIdMarker() : null;
    } while (keyMarker != null);
    return all;
  }
}
