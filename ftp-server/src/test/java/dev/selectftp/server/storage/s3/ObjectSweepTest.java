package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.testing.ThrowawayS3.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.selectftp.server.storage.Tally;
import dev.selectftp.server.testing.ThrowawayS3;
import dev.selectftp.server.transfer.UploadLocks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 form of {@code --partial-max-age} against a real S3 API (S3Proxy's filesystem backend, whose
 * {@code Initiated} is the time of the listing, so ages come from the parts' and hidden keys' LastModified).
 * What is written before {@link #cutoffAfterASecond} is stale, what is written after it is not.
 */
class ObjectSweepTest {
  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();

  @RegisterExtension final TestHomes homes = new TestHomes(STORE);

  private static final Duration MAX_AGE = Duration.ofHours(1);

  private S3Client s3() {
    return homes.s3();
  }

  private String key(String user, String path) {
    return homes.prefix() + "/" + user + "/" + path;
  }

  private ObjectSweep sweep(String user) {
    return ObjectSweep.of(s3(), BUCKET, homes.prefix(), user);
  }

  @Test
  void stalePartialsAreAbortedWithTheirHiddenKeysAndCountedByTheirParts() throws Exception {
    upload("alice", "old.bin", 1000, 2000);
    put("alice", "old.bin.selectftp-part", 100);
    upload("alice", "d/deep.bin", 3000);
    put("alice", "d/deep.bin.selectftp-part/state-1", 10);
    put("alice", "d/deep.bin.selectftp-part/state-2", 10);
    put("alice", "orphan.bin.selectftp-part", 50); // its upload already gone: still the partial's bookkeeping
    put("alice", "notes.selectftp-part.txt", 7); // a user's file that only looks similar
    put("alice", "keep.bin", 8);
    String resumed = upload("alice", "resumed.bin", 4000);
    upload("alice2", "old.bin", 5000);
    put("alice2", "old.bin.selectftp-part", 100);

    Instant cutoff = cutoffAfterASecond();
    addPart("alice", "resumed.bin", resumed, 2, 4000); // resumed lately: started long ago, but not idle
    upload("alice", "young.bin", 500);
    put("alice", "young.bin.selectftp-part", 100);

    Tally freed = sweep("alice").deleteStale(MAX_AGE, cutoff.plus(MAX_AGE), new UploadLocks());

    assertEquals(new Tally(1000 + 2000 + 3000, 3), freed, "the parts of two uploads; three partials incl. the orphan");
    assertEquals(Set.of("resumed.bin", "young.bin"), uploadsOf("alice"));
    assertEquals(Set.of("keep.bin", "notes.selectftp-part.txt", "young.bin.selectftp-part"), keysOf("alice"));
    assertEquals(Set.of("old.bin"), uploadsOf("alice2"), "another home is not touched");
    assertEquals(Set.of("old.bin.selectftp-part"), keysOf("alice2"));
  }

  @Test
  void partialHeldByAnUploadIsLeftAndTakenOnceReleased() throws Exception {
    upload("alice", "held.bin", 1234);
    put("alice", "held.bin.selectftp-part", 10);
    Instant later = cutoffAfterASecond().plus(MAX_AGE);
    UploadLocks locks = new UploadLocks();
    String target = key("alice", "held.bin");
    UploadLocks.Lock lock = locks.tryLock(Path.of(target), ObjectSweep.partialOf(target));

    assertEquals(Tally.ZERO, sweep("alice").deleteStale(MAX_AGE, later, locks));
    assertEquals(Set.of("held.bin"), uploadsOf("alice"));
    assertEquals(Set.of("held.bin.selectftp-part"), keysOf("alice"));

    locks.unlock(lock);
    assertEquals(new Tally(1234, 1), sweep("alice").deleteStale(MAX_AGE, later, locks));
    assertEquals(Set.of(), uploadsOf("alice"));
    assertEquals(Set.of(), keysOf("alice"));
    assertFalse(locks.isLockedAtOrUnder(Path.of(key("alice", ""))), "the sweep released its hold");
  }

  @Test
  void partialWrittenWithinTheMaximumAgeIsKept() throws Exception {
    upload("alice", "fresh.bin", 700);
    assertEquals(Tally.ZERO, sweep("alice").deleteStale(MAX_AGE, Instant.now(), new UploadLocks()));
    assertEquals(Set.of("fresh.bin"), uploadsOf("alice"));
  }

  /** Starts an upload of {@code path} and stores one part of each size; returns its id. */
  private String upload(String user, String path, int... partSizes) {
    String k = key(user, path);
    String id = s3().createMultipartUpload(r -> r.bucket(BUCKET).key(k)).uploadId();
    for (int i = 0; i < partSizes.length; i++) addPart(user, path, id, i + 1, partSizes[i]);
    return id;
  }

  private void addPart(String user, String path, String id, int number, int size) {
    s3().uploadPart(r -> r.bucket(BUCKET).key(key(user, path)).uploadId(id).partNumber(number),
        RequestBody.fromBytes(new byte[size]));
  }

  private void put(String user, String path, int size) {
    s3().putObject(r -> r.bucket(BUCKET).key(key(user, path)), RequestBody.fromBytes(new byte[size]));
  }

  private Set<String> uploadsOf(String user) {
    String root = key(user, "");
    Set<String> names = new TreeSet<>();
    s3().listMultipartUploads(r -> r.bucket(BUCKET).prefix(root)).uploads()
        .forEach(u -> names.add(u.key().substring(root.length())));
    return names;
  }

  private Set<String> keysOf(String user) {
    String root = key(user, "");
    Set<String> names = new TreeSet<>();
    for (S3Object o : s3().listObjectsV2(r -> r.bucket(BUCKET).prefix(root)).contents()) {
      names.add(o.key().substring(root.length()));
    }
    return names;
  }

  /**
   * A whole second that starts after everything written so far: S3 gives LastModified in whole seconds, so
   * what was written before is older than it and what is written after is not.
   */
  private static Instant cutoffAfterASecond() throws InterruptedException {
    Instant cutoff = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
    Thread.sleep(Duration.between(Instant.now(), cutoff).toMillis() + 50);
    return cutoff;
  }
}
