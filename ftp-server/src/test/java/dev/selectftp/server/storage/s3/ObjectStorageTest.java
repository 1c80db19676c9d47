package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.ObjectHomeTest.randomBytes;
import static dev.selectftp.server.storage.s3.ObjectHomeTest.readAll;
import static dev.selectftp.server.storage.s3.ObjectHomeTest.sha256;
import static dev.selectftp.server.storage.s3.ObjectUpload.PART_SIZE;
import static dev.selectftp.server.testing.ThrowawayS3.BUCKET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Tally;
import dev.selectftp.server.testing.ThrowawayS3;
import dev.selectftp.server.transfer.Sha256;
import dev.selectftp.server.transfer.Upload;
import dev.selectftp.server.transfer.UploadLocks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ObjectStorage} as the server uses it, against a real S3 API (S3Proxy): partials whose parts leave
 * from spool files while the writes stay local, the object appearing only at publish, an upload cut on one
 * node continued on another from the saved SHA-256 midstate, downloads through spool windows that go with
 * their channel ({@link ObjectReadChannelTest} for the windows themselves).
 */
class ObjectStorageTest {
  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();
  @RegisterExtension final TestHomes homes = new TestHomes(STORE);
  @TempDir Path nodeA;
  @TempDir Path nodeB;
  private ObjectStorage a;
  private ObjectStorage b;

  @BeforeAll
  static void credentials() {
    ObjectStorageTests.useStoreCredentials();
  }

  @AfterEach
  void close() {
    if (a != null) a.close();
    if (b != null) b.close();
  }

  private ObjectStorage open(Path dataDir) throws Exception {
    return ObjectStorage.open(new S3Location(BUCKET, homes.prefix(), STORE.endpoint()), dataDir);
  }

  private static void write(FileChannel channel, byte[] data, int from, int to) throws Exception {
    ByteBuffer src = ByteBuffer.wrap(data, from, to - from);
    while (src.hasRemaining()) channel.write(src);
  }

  @Test
  void uploadAppearsOnlyWhenPublishedWithItsSha256() throws Exception {
    a = open(nodeA);
    ObjectHomeStore home = a.home("alice");
    byte[] data = randomBytes(2 * PART_SIZE + 4321, 7);
    Path real = home.toReal("/big.bin");
    Path partial = home.partialFor(real);
    FileChannel channel = home.openWrite(partial, false);
    write(channel, data, 0, data.length);
    assertEquals(2L * PART_SIZE, channel.size(), "what stays if the upload stops now: whole parts");
    assertEquals(data.length, channel.position());
    channel.force(true);
    channel.close();
    assertFalse(home.stat("/big.bin").exists(), "two parts are stored, yet nothing is visible");
    assertTrue(home.list("/", "/", null, dev.selectftp.server.storage.PageSize.entries(10)).entries().isEmpty());
    assertEquals(data.length, home.statReal(partial).size(), "after the sync: every byte written");

    home.publishPartial(partial, real);
    assertEquals(data.length, home.stat("/big.bin").size());
    assertArrayEquals(data, readAll(homes.of("alice"), "/big.bin"));
    assertEquals(sha256(data), ObjectStorageTests.awaitLabel(STORE.client(), homes.prefix() + "/alice/big.bin"));
    assertFalse(home.statReal(partial).exists(), "no partial left");
    assertEquals(0, STORE.client().listMultipartUploads(r -> r.bucket(BUCKET).prefix(homes.prefix())).uploads().size());
    assertEmptySpool(nodeA);
  }

  @Test
  void smallUploadIsOnePutWithItsLabel() throws Exception {
    a = open(nodeA);
    ObjectHomeStore home = a.home("alice");
    byte[] data = randomBytes(1000, 8);
    Path real = home.toReal("/small.bin");
    FileChannel channel = home.openWrite(home.partialFor(real), false);
    write(channel, data, 0, data.length);
    channel.force(true);
    channel.close();
    home.publishPartial(home.partialFor(real), real);
    assertArrayEquals(data, readAll(homes.of("alice"), "/small.bin"));
    assertEquals(sha256(data), homes.of("alice").storedSha256("/", "small.bin").orElseThrow());
  }

  @Test
  void uploadCutOnOneNodeContinuesOnAnotherFromTheSavedMidstate() throws Exception {
    byte[] data = randomBytes(3 * PART_SIZE + 999, 9);
    a = open(nodeA);
    ObjectHomeStore homeA = a.home("alice");
    Path partial = homeA.partialFor(homeA.toReal("/cut.bin"));
    FileChannel cut = homeA.openWrite(partial, false);
    write(cut, data, 0, 2 * PART_SIZE + 5000);
    cut.close(); // the connection dropped: the 5000 bytes past the second part are gone
    a.close(); // node A stops; parts in flight are sent first
    a = null;

    b = open(nodeB);
    ObjectHomeStore homeB = b.home("alice");
    assertEquals(2L * PART_SIZE, homeB.statReal(partial).size(), "two parts, as node B sees them");
    FileChannel resumed = homeB.openWrite(partial, false);
    MessageDigest held = homeB.heldDigest(partial, 2L * PART_SIZE).orElseThrow();
    assertEquals(sha256(Arrays.copyOf(data, 2 * PART_SIZE)), Sha256.peekHex(held), "the prefix hash, unread");
    assertTrue(homeB.heldDigest(partial, PART_SIZE).isEmpty(), "only the stored parts' state is known");
    resumed.position(2L * PART_SIZE);
    write(resumed, data, 2 * PART_SIZE, data.length);
    held.update(data, 2 * PART_SIZE, data.length - 2 * PART_SIZE);
    assertEquals(sha256(data), Sha256.hex(held), "the midstate continued gives the whole file's hash");
    resumed.force(true);
    resumed.close();
    homeB.publishPartial(partial, homeB.toReal("/cut.bin"));
    assertArrayEquals(data, readAll(homes.of("alice"), "/cut.bin"));
  }

  /**
   * What a SelectFTP resume offers in {@code put-ready}: the kept bytes' hash, taken from the midstate the
   * store saved (the partial cannot be read back from S3), so the client's prefix check passes.
   */
  @Test
  void anUploadResumedOnAnotherNodeOffersTheKeptBytesHashFromTheSavedMidstate() throws Exception {
    byte[] data = randomBytes(2 * PART_SIZE + 777, 11);
    a = open(nodeA);
    ObjectHomeStore homeA = a.home("alice");
    FileChannel cut = homeA.openWrite(homeA.partialFor(homeA.toReal("/kept.bin")), false);
    write(cut, data, 0, 2 * PART_SIZE + 100);
    cut.close();
    a.close();
    a = null;

    b = open(nodeB);
    Quotas quotas = new Quotas(user -> 1L << 30, 1000, (user, done) -> done.accept(Tally.ZERO, null));
    quotas.whenKnown("alice", "1", failure -> assertEquals(null, failure));
    Upload upload = Upload.begin("alice", b.home("alice"), quotas, new UploadLocks(), "/kept.bin", data.length);
    assertEquals(2L * PART_SIZE, upload.kept(), "the two stored parts are kept");
    assertEquals(sha256(Arrays.copyOf(data, 2 * PART_SIZE)), upload.hashKept());
    upload.abort();
  }

  @Test
  void truncatedPartialStartsOverAndDeletedOneLeavesNothing() throws Exception {
    a = open(nodeA);
    ObjectHomeStore home = a.home("alice");
    byte[] data = randomBytes(PART_SIZE + 10, 10);
    Path partial = home.partialFor(home.toReal("/gone.bin"));
    FileChannel channel = home.openWrite(partial, false);
    write(channel, data, 0, data.length);
    channel.close();
    assertEquals(PART_SIZE, home.statReal(partial).size());
    FileChannel again = home.openWrite(partial, true);
    assertEquals(0, again.size(), "emptied");
    again.close();
    assertFalse(home.statReal(partial).exists());

    FileChannel third = home.openWrite(partial, false);
    write(third, data, 0, data.length);
    third.close();
    assertEquals(PART_SIZE, home.deletePartial(partial), "the bytes freed");
    assertFalse(home.statReal(partial).exists());
    assertEquals(0, STORE.client().listMultipartUploads(r -> r.bucket(BUCKET).prefix(homes.prefix())).uploads().size());
    assertEquals(0, STORE.client().listObjectsV2(r -> r.bucket(BUCKET).prefix(homes.prefix())).keyCount());
  }

  @Test
  void readGoesThroughASpoolWindowThatGoesWithTheChannel() throws Exception {
    a = open(nodeA);
    ObjectHomeStore home = a.home("alice");
    byte[] data = randomBytes(300_000, 11);
    ObjectHomeTest.store(homes.of("alice"), "/r.bin", data);
    try (FileChannel in = home.openRead(home.toReal("/r.bin"))) {
      assertEmptySpool(nodeA); // nothing fetched before the first read
      ByteBuffer all = ByteBuffer.allocate(data.length);
      while (all.hasRemaining() && in.read(all, all.position()) > 0) { }
      assertArrayEquals(data, all.array());
    }
    assertEmptySpool(nodeA);
    Refused partial = assertThrows(Refused.class, () -> home.openRead(home.partialFor(home.toReal("/r.bin"))));
    assertEquals(Refusal.FORBIDDEN, partial.code());
  }

  @Test
  void tallyCountsFilesFoldersAndPartialsAndTheSweepAbortsStaleOnes() throws Exception {
    a = open(nodeA);
    ObjectHomeStore home = a.home("alice");
    home.makeDir("/", "docs");
    ObjectHomeTest.store(homes.of("alice"), "/docs/a.txt", new byte[123]);
    Path partial = home.partialFor(home.toReal("/docs/p.bin"));
    FileChannel channel = home.openWrite(partial, false);
    write(channel, randomBytes(PART_SIZE + 1, 12), 0, PART_SIZE + 1);
    channel.close();
    assertEquals(PART_SIZE, home.statReal(partial).size(), "once the part in flight is stored");
    assertEquals(new Tally(123 + PART_SIZE, 3), home.tally(), "a.txt, docs and the partial");

    PartialGuard free = new PartialGuard() {
      public boolean tryHold(Path p) {
        return true;
      }

      public void release(Path p) { }
    };
    assertEquals(Tally.ZERO, home.deleteStalePartials(Duration.ofHours(1), Instant.now(), free), "fresh: kept");
    Tally freed = home.deleteStalePartials(Duration.ofHours(1), Instant.now().plus(Duration.ofHours(2)), free);
    assertEquals(new Tally(PART_SIZE, 1), freed);
    assertEquals(new Tally(123, 2), home.tally());
    assertEquals(0, STORE.client().listMultipartUploads(r -> r.bucket(BUCKET).prefix(homes.prefix())).uploads().size());
  }

  @Test
  void theSweepLeavesAPartialThisNodeIsStillWritingEvenWhenNoLockHoldsIt() throws Exception {
    a = open(nodeA);
    ObjectHomeStore home = a.home("alice");
    Path partial = home.partialFor(home.toReal("/w.bin"));
    FileChannel channel = home.openWrite(partial, false);
    write(channel, randomBytes(PART_SIZE + 1, 13), 0, PART_SIZE + 1);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (home.statReal(partial).size() < PART_SIZE && System.nanoTime() < deadline) Thread.sleep(20);
    assertEquals(PART_SIZE, home.statReal(partial).size(), "its first part is stored, so a sweep could abort it");
    PartialGuard free = new PartialGuard() {
      public boolean tryHold(Path p) {
        return true;
      }

      public void release(Path p) { }
    };
    Tally freed = home.deleteStalePartials(Duration.ofHours(1), Instant.now().plus(Duration.ofHours(2)), free);
    assertEquals(Tally.ZERO, freed, "its channel is open here");
    channel.close();
    assertEquals(PART_SIZE, home.statReal(partial).size(), "the stored part is still there");
  }

  @Test
  void aBucketThatDoesNotAnswerStopsTheStart() {
    S3Location nowhere = new S3Location("no-such-bucket", "", STORE.endpoint());
    IOException e = assertThrows(IOException.class, () -> ObjectStorage.open(nowhere, nodeA));
    assertTrue(e.getMessage().contains("no-such-bucket"), e.getMessage());
  }

  private static void assertEmptySpool(Path dataDir) throws Exception {
    try (Stream<Path> files = Files.list(dataDir.resolve(Spool.DIR))) {
      assertEquals(0, files.count(), "nothing left in the spool");
    }
  }

}
