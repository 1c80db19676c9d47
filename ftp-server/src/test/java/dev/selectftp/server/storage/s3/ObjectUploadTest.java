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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** Uploads as S3 multipart uploads against a real S3 API (S3Proxy in its own JVM), including the store dying. */
class ObjectUploadTest {
  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();

  @RegisterExtension final TestHomes homes = new TestHomes(STORE);

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
}
