package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.ObjectHomeTest.bytes;
import static dev.selectftp.server.storage.s3.ObjectHomeTest.listAll;
import static dev.selectftp.server.storage.s3.ObjectHomeTest.randomBytes;
import static dev.selectftp.server.storage.s3.ObjectHomeTest.readAll;
import static dev.selectftp.server.storage.s3.ObjectHomeTest.sha256;
import static dev.selectftp.server.storage.s3.ObjectHomeTest.store;
import static dev.selectftp.server.storage.s3.ObjectUpload.PART_SIZE;
import static dev.selectftp.server.testing.ThrowawayS3.BUCKET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.testing.ThrowawayS3;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** Uploads as S3 multipart uploads against a real S3 API (S3Proxy in its own JVM), including the store dying. */
class ObjectUploadTest {
  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();

  @RegisterExtension final TestHomes homes = new TestHomes(STORE);
  @TempDir Path tmp;

  @Test
  void objectAppearsOnlyAtCompleteMultipartUpload() throws Exception {
    ObjectHome alice = homes.of("alice");
    S3Client s3 = homes.s3();
    String prefix = homes.prefix();
    byte[] data = randomBytes(2 * PART_SIZE + 1000, 2);
    ObjectUpload upload = alice.startUpload("/", "big.bin");
    upload.write(ByteBuffer.wrap(data));
    assertEquals(2L * PART_SIZE, upload.length(), "two full parts stored, the tail still buffered");

    assertFalse(alice.stat("/", "big.bin").exists());
    assertEquals(List.of(), listAll(alice, "/", 10));
    assertTrue(s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).contents().isEmpty());

    assertEquals(sha256(data), upload.complete());
    assertEquals(data.length, alice.stat("/", "big.bin").size());
    assertArrayEquals(data, readAll(alice, "/big.bin"));
    assertEquals(Optional.empty(), alice.findInterruptedUpload("/", "big.bin"), "no upload left behind");
  }

  @Test
  void resumedMultipartUploadContinuesAfterStoredParts() throws Exception {
    ObjectHome alice = homes.of("alice");
    byte[] data = randomBytes(2 * PART_SIZE + PART_SIZE / 2, 3);
    ObjectUpload first = alice.startUpload("/", "resumed.bin");
    first.write(ByteBuffer.wrap(data, 0, 2 * PART_SIZE + 12345));
    // The connection drops here: the buffered 12345 bytes of part three were never stored.

    ObjectUpload resumed = alice.findInterruptedUpload("/", "resumed.bin").orElseThrow();
    assertEquals(2L * PART_SIZE, resumed.length(), "resume at the last part boundary");
    resumed.write(ByteBuffer.wrap(data, (int) resumed.length(), data.length - (int) resumed.length()));
    String hash = resumed.complete();

    assertEquals(sha256(data), hash, "the same SHA-256 as the whole file");
    assertEquals(Optional.of(sha256(data)), alice.storedSha256("/", "resumed.bin"));
    assertArrayEquals(data, readAll(alice, "/resumed.bin"));
  }

  @Test
  void storedObjectCarriesItsSha256() throws Exception {
    ObjectHome alice = homes.of("alice");
    S3Client s3 = homes.s3();
    String prefix = homes.prefix();
    byte[] small = bytes("smaller than one part");
    byte[] big = randomBytes(PART_SIZE + 7, 4);
    assertEquals(sha256(small), store(alice, "/small.txt", small));
    assertEquals(sha256(big), store(alice, "/big.bin", big));
    byte[] empty = new byte[0];
    assertEquals(sha256(empty), store(alice, "/empty", empty));

    for (String name : List.of("small.txt", "big.bin", "empty")) {
      String key = prefix + "/alice/" + name;
      String raw = s3.headObject(r -> r.bucket(BUCKET).key(key)).metadata().get("sha256");
      assertEquals(sha256(readAll(alice, "/" + name)), raw, "x-amz-meta-sha256 of " + name);
    }
    assertEquals(0, alice.stat("/", "empty").size());
  }

  @Test
  void s3DownGivesIOExceptionAndLosesNothingConfirmed() throws Exception {
    ObjectHome alice = homes.of("alice");
    byte[] kept = randomBytes(4096, 5);
    store(alice, "/kept.bin", kept);
    byte[] cutData = randomBytes(3 * PART_SIZE + 99, 6);
    ObjectUpload cut = alice.startUpload("/", "cut.bin");
    cut.write(ByteBuffer.wrap(cutData, 0, 2 * PART_SIZE));
    byte[] retriedData = randomBytes(3 * PART_SIZE, 7);
    ObjectUpload retried = alice.startUpload("/", "retried.bin");
    retried.write(ByteBuffer.wrap(retriedData, 0, 2 * PART_SIZE));
    byte[] smallData = bytes("one PutObject, retried");
    ObjectUpload small = alice.startUpload("/", "small.txt");
    small.write(ByteBuffer.wrap(smallData));

    STORE.stop();
    try {
      ByteBuffer third = ByteBuffer.wrap(retriedData, 2 * PART_SIZE, PART_SIZE);
      assertThrows(IOException.class, () -> retried.write(third));
      assertEquals(3L * PART_SIZE, retried.accepted(), "the part that failed to go out is still held");
      assertThrows(IOException.class, retried::complete);
      assertThrows(IOException.class, small::complete);
      assertThrows(IOException.class, () -> alice.stat("/", "kept.bin"));
      assertThrows(IOException.class, () -> alice.list("/", "/", null, PageSize.entries(5)));
    } finally {
      STORE.start();
    }

    assertArrayEquals(kept, readAll(alice, "/kept.bin"), "a stored object outlives the outage");
    assertFalse(alice.stat("/", "cut.bin").exists(), "an unfinished upload never shows");
    assertEquals(sha256(retriedData), retried.complete(), "the same upload, retried, sends the held part");
    assertArrayEquals(retriedData, readAll(alice, "/retried.bin"));
    assertEquals(sha256(smallData), small.complete(), "a retried complete has the same hash");
    assertEquals(Optional.of(sha256(smallData)), alice.storedSha256("/", "small.txt"));

    ObjectUpload resumed = alice.findInterruptedUpload("/", "cut.bin").orElseThrow();
    assertEquals(2L * PART_SIZE, resumed.length(), "both confirmed parts survived");
    resumed.write(ByteBuffer.wrap(cutData, 2 * PART_SIZE, cutData.length - 2 * PART_SIZE));
    assertEquals(sha256(cutData), resumed.complete());
    assertArrayEquals(cutData, readAll(alice, "/cut.bin"));
  }

  @Test
  void resumeContinuesTheUploadTheSavedStateNamesWithItsSha256() throws Exception {
    ObjectHome alice = homes.of("alice");
    String key = homes.prefix() + "/alice/two.bin";
    byte[] named = randomBytes(2 * PART_SIZE + 777, 8);
    // The server's form stores one part and saves its state (the hidden key names this upload) ...
    PartialUpload server = PartialUpload.fresh(homes.s3(), BUCKET, key);
    Path part = Files.write(tmp.resolve("part"), Arrays.copyOf(named, PART_SIZE));
    server.send(server.prepare(part), part);
    // ... then a second upload of the same key, started later and holding more, saves none.
    ObjectUpload other = alice.startUpload("/", "two.bin");
    other.write(ByteBuffer.wrap(randomBytes(2 * PART_SIZE, 9)));

    ObjectUpload resumed = alice.findInterruptedUpload("/", "two.bin").orElseThrow();
    assertEquals(PART_SIZE, resumed.length(), "the named upload, at the part its state covers");
    resumed.write(ByteBuffer.wrap(named, PART_SIZE, named.length - PART_SIZE));
    assertEquals(sha256(named), resumed.complete(), "the saved midstate continued gives the whole file's hash");
    assertArrayEquals(named, readAll(alice, "/two.bin"));
    assertEquals(Optional.of(sha256(named)), alice.storedSha256("/", "two.bin"));
    assertEquals(List.of(), homes.s3().listObjectsV2(r -> r.bucket(BUCKET).prefix(PartialState.keyOf(key))).contents(),
        "the state of the completed upload is gone");
    other.complete(); // still unfinished (left to the sweep), so it can still complete
  }

  @Test
  void withoutASavedStateResumeContinuesTheUploadHoldingTheMostParts() throws Exception {
    // Whichever of the two S3 lists first (or reports as initiated later), the one holding more resumes.
    resumesTheLongerOfTwo("longer-listed-first.bin", true, 10);
    resumesTheLongerOfTwo("longer-listed-last.bin", false, 20);
  }

  private void resumesTheLongerOfTwo(String name, boolean longerListedFirst, long seed) throws Exception {
    ObjectHome alice = homes.of("alice");
    String key = homes.prefix() + "/alice/" + name;
    ObjectUpload earlier = alice.startUpload("/", name);
    String earlierId = uploadIds(key).get(0);
    ObjectUpload later = alice.startUpload("/", name);
    boolean earlierListedFirst = uploadIds(key).get(0).equals(earlierId);
    ObjectUpload longer = earlierListedFirst == longerListedFirst ? earlier : later;
    ObjectUpload shorter = longer == earlier ? later : earlier;
    byte[] data = randomBytes(3 * PART_SIZE + 55, seed);
    longer.write(ByteBuffer.wrap(data, 0, 2 * PART_SIZE));
    shorter.write(ByteBuffer.wrap(randomBytes(PART_SIZE + 66, seed + 1)));

    ObjectUpload resumed = alice.findInterruptedUpload("/", name).orElseThrow();
    assertEquals(2L * PART_SIZE, resumed.length(), name + ": the upload with two parts stored");
    resumed.write(ByteBuffer.wrap(data, 2 * PART_SIZE, data.length - 2 * PART_SIZE));
    assertEquals(sha256(data), resumed.complete(), name);
    assertArrayEquals(data, readAll(alice, "/" + name), name);
  }

  /** The unfinished uploads of exactly {@code key}, in the order the store lists them. */
  private List<String> uploadIds(String key) {
    return homes.s3().listMultipartUploads(r -> r.bucket(BUCKET).prefix(key)).uploads().stream()
        .filter(u -> u.key().equals(key)).map(MultipartUpload::uploadId).toList();
  }
}
