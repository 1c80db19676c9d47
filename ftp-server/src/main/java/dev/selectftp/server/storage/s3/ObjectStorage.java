package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Storage;
import dev.selectftp.server.storage.Tally;
import dev.selectftp.server.storage.UserNames;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * Every user's home on S3 ({@code --storage s3://BUCKET/PREFIX}): user {@code alice} owns the keys under
 * {@code PREFIX/alice/}. The node keeps only its spool ({@code DATA/spool}, see {@link Spool}); the files,
 * the partials and their saved hash states live in the bucket, so any node sharing it serves any user.
 * Closed with the server.
 */
public final class ObjectStorage implements Storage, Closeable {
  /** Below this much free space in the spool's file system a failed write is reported as a full disk. */
  static final long LOW_SPACE_BYTES = 1024 * 1024;

  private final S3Client s3;
  private final S3Location where;
  private final Spool spool;
  private final ConcurrentMap<String, ObjectHomeStore> homes = new ConcurrentHashMap<>();

  private ObjectStorage(S3Client s3, S3Location where, Spool spool) {
    this.s3 = s3;
    this.where = where;
    this.spool = spool;
  }

  /**
   * Blocking: connects to the store (credentials from the standard AWS chain), checks that the bucket
   * answers, and empties the spool.
   *
   * @throws IOException when the bucket cannot be reached, with the store's answer
   */
  public static ObjectStorage open(S3Location where, Path dataDir) throws IOException {
    S3Client s3 = S3Clients.open(where.endpoint());
    try {
      io("head bucket " + where.bucket(), () -> s3.headBucket(r -> r.bucket(where.bucket())));
      return new ObjectStorage(s3, where, Spool.open(dataDir));
    } catch (IOException | RuntimeException e) {
      s3.close();
      throw e;
    }
  }

  /** The user's home; touches nothing on the store (a home with no key yet is an empty folder). */
  @Override
  public ObjectHomeStore home(String user) {
    if (!UserNames.isValid(user)) throw new IllegalArgumentException("not a valid user name");
    return homes.computeIfAbsent(user, u -> new ObjectHomeStore(s3, where.bucket(), ObjectKeys.of(where.prefix(), u), spool));
  }

  @Override
  public Tally tally(String user) throws IOException {
    return home(user).tally();
  }

  @Override
  public Tally deleteStalePartials(String user, Duration maxAge, Instant now, PartialGuard guard) throws IOException {
    return home(user).deleteStalePartials(maxAge, now, guard);
  }

  /** Only the spool is on this node's disk: it is what fills up. */
  @Override
  public boolean lowOnSpace() {
    try {
      return Files.getFileStore(spool.dir()).getUsableSpace() < LOW_SPACE_BYTES;
    } catch (IOException e) {
      return false;
    }
  }

  /** Blocking: the names of the homes in the bucket (one delimiter listing of the prefix), for the sweep. */
  public List<String> homeNames() throws IOException {
    String top = where.prefix().isEmpty() ? "" : where.prefix() + ObjectKeys.SLASH;
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      String page = token;
      ListObjectsV2Response r = io("list homes", () -> s3.listObjectsV2(b -> b.bucket(where.bucket()).prefix(top)
          .delimiter(ObjectKeys.SLASH).continuationToken(page)));
      for (CommonPrefix p : r.commonPrefixes()) {
        String name = p.prefix().substring(top.length(), p.prefix().length() - 1);
        if (UserNames.isValid(name)) names.add(name);
      }
      token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
    } while (token != null);
    return names;
  }

  /** Waits for parts in flight, then closes the client. */
  @Override
  public void close() {
    spool.close();
    s3.close();
  }
}
