package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.ObjectHomeTest.randomBytes;
import static dev.selectftp.server.storage.s3.ObjectHomeTest.readAll;
import static dev.selectftp.server.storage.s3.ObjectHomeTest.sha256;
import static dev.selectftp.server.storage.s3.ObjectHomeTest.store;
import static dev.selectftp.server.testing.ThrowawayS3.BUCKET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.testing.ThrowawayS3;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Renames above CopyObject's limit, as multipart copies of ranged parts, against a real S3 API (S3Proxy's
 * filesystem backend emulates UploadPartCopy by a ranged read and an UploadPart, as the S3 API defines it).
 * The limits are lowered so that a 20 MiB file takes the path a file over 5 GiB takes in production.
 */
class ObjectCopyTest {
  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();

  @RegisterExtension final TestHomes homes = new TestHomes(STORE);

  /** Above 5 MiB a copy goes in parts of 5 MiB (S3's smallest part). */
  private static final long SMALL_THRESHOLD = ObjectUpload.MIN_PART_SIZE;
  private static final long SMALL_PART = ObjectUpload.MIN_PART_SIZE;
  private static final int BIG = 20 * 1024 * 1024 + 12345;

  private ObjectHome home(String user) {
    ObjectCopy lowered = new ObjectCopy(homes.s3(), BUCKET, SMALL_THRESHOLD, SMALL_PART);
    return new ObjectHome(homes.s3(), BUCKET, ObjectKeys.of(homes.prefix(), user), lowered);
  }

  private String key(String user, String path) {
    return homes.prefix() + "/" + user + path;
  }

  @Test
  void renameAboveTheThresholdCopiesInRangedPartsKeepingBytesAndSha256() throws Exception {
    ObjectHome alice = home("alice");
    byte[] data = randomBytes(BIG, 7);
    assertEquals(sha256(data), store(alice, "/big.bin", data));
    assertEquals(Optional.of(sha256(data)), alice.storedSha256("/", "big.bin"), "labelled before the rename");

    assertEquals(1, alice.rename("/", "big.bin", "moved.bin"));

    assertFalse(alice.stat("/", "big.bin").exists());
    assertArrayEquals(data, readAll(alice, "/moved.bin"));
    assertEquals(Optional.of(sha256(data)), alice.storedSha256("/", "moved.bin"), "the label survives the copy");
    String eTag = homes.s3().headObject(r -> r.bucket(BUCKET).key(key("alice", "/moved.bin"))).eTag();
    assertTrue(eTag.endsWith("-5\""), "a multipart object of five ranged parts, not one CopyObject: " + eTag);
    assertNoUploadsLeft("alice");
  }

  @Test
  void folderRenameCopiesBigAndSmallFilesEachTheirWay() throws Exception {
    ObjectHome alice = home("alice");
    byte[] big = randomBytes(BIG, 8);
    byte[] small = randomBytes(1000, 9);
    alice.makeDir("/", "d");
    store(alice, "/d/big.bin", big);
    store(alice, "/d/small.bin", small);

    assertEquals(3, alice.rename("/", "d", "e"), "the marker and two files");

    assertArrayEquals(big, readAll(alice, "/e/big.bin"));
    assertArrayEquals(small, readAll(alice, "/e/small.bin"));
    assertEquals(Optional.of(sha256(big)), alice.storedSha256("/e", "big.bin"));
    assertEquals(Optional.of(sha256(small)), alice.storedSha256("/e", "small.bin"));
    String smallTag = homes.s3().headObject(r -> r.bucket(BUCKET).key(key("alice", "/e/small.bin"))).eTag();
    assertFalse(smallTag.contains("-"), "a small file is one CopyObject: " + smallTag);
    assertFalse(alice.stat("/", "d").exists());
    assertNoUploadsLeft("alice");
  }

  @Test
  void copyOfAVanishedSourceFailsAndLeavesNothing() throws Exception {
    ObjectCopy copier = new ObjectCopy(homes.s3(), BUCKET, SMALL_THRESHOLD, SMALL_PART);
    String target = key("alice", "/target.bin");
    assertThrows(IOException.class, () -> copier.copy(key("alice", "/gone.bin"), target, BIG));
    assertTrue(homes.s3().listObjectsV2(r -> r.bucket(BUCKET).prefix(homes.prefix())).contents().isEmpty());
    assertNoUploadsLeft("alice");
  }

  @Test
  void copyOfASourceReplacedSinceTheHeadFailsAndLeavesNoTarget() throws Exception {
    S3Client s3 = homes.s3();
    ObjectHome alice = home("alice");
    byte[] first = randomBytes(BIG, 10);
    store(alice, "/src.bin", first);
    String source = key("alice", "/src.bin");
    String target = key("alice", "/dst.bin");
    // The copy has read the source's HEAD; then the source is replaced before its first ranged part.
    HeadObjectResponse stale = s3.headObject(r -> r.bucket(BUCKET).key(source));
    store(alice, "/src.bin", randomBytes(BIG, 11));
    ObjectCopy copier = new ObjectCopy(s3, BUCKET, SMALL_THRESHOLD, SMALL_PART);
    IOException failed = assertThrows(IOException.class, () -> copier.copyInParts(source, target, stale));
    assertTrue(S3Calls.answered(failed, 412), "precondition failed: " + failed.getMessage());
    assertFalse(alice.stat("/", "dst.bin").exists());
    assertNoUploadsLeft("alice");
  }

  private void assertNoUploadsLeft(String user) {
    String prefix = homes.prefix() + "/" + user + "/";
    assertEquals(0, homes.s3().listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix)).uploads().size(),
        "no multipart upload left behind");
  }
}
