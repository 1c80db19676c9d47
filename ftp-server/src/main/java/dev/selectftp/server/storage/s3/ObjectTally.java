package dev.selectftp.server.storage.s3;


import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The whole-home walk of one home on S3 for the quota count, by listing every key under its prefix (the
 * sweep of stale partials is {@link ObjectSweep}). Blocking: helper threads only; requests in proportion to the keys.
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
    for (S3Object o : S3Calls.allKeys(s3, bucket, root)) {
      String rest = o.key().substring(root.length());
      for (int i = rest.indexOf('/'); i >= 0; i = rest.indexOf('/', i + 1)) folders.add(rest.substring(0, i));
      if (rest.isEmpty() || rest.endsWith("/")) continue; // the home's or a folder's marker
      files++;
      bytes += rest.endsWith(ObjectHomeStore.PARTIAL_SUFFIX) ? partials.stat(Path.of(o.key())).size() : o.size();
    }
    return new Tally(bytes, files + folders.size());
  }
}
