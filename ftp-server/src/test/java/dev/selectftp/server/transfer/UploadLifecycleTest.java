package dev.selectftp.server.transfer;

import static dev.selectftp.server.transfer.DiskUploads.USER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One upload from begin to its end, on real files with a real quota of {@value #LIMIT} bytes: which offsets
 * and lengths are taken, what a resumed or restarted partial keeps, and what an abort, a discard or a commit
 * leaves on disk and in the user's totals.
 */
class UploadLifecycleTest {
  private static final long LIMIT = 100;

  @TempDir Path data;
  private DiskUploads bob;

  @BeforeEach
  void setUp() throws IOException {
    bob = new DiskUploads(data, () -> LIMIT);
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }


  private void finish(Upload u, byte[] rest) throws Exception {
    assertFalse(u.receive(ByteBuffer.wrap(rest)), "every byte arrived");
    assertEquals(0, u.remaining());
    u.commitBlocking();
    u.committed();
  }

  @Test
  void anOffsetOtherThanTheKeptOneOrZeroAndALengthOtherThanTheRestAreRefused() throws Exception {
    bob.count();
    Upload u = bob.begin("a.bin", 10);
    assertEquals(Refusal.BAD_REQUEST, assertThrows(Refused.class, () -> u.accept(3, 7)).code());
    Refused length = assertThrows(Refused.class, () -> u.accept(0, 9));
    assertEquals("length must be 10", length.getMessage());
    u.accept(0, 10);
    assertEquals(10, u.remaining());
    assertTrue(u.receive(ByteBuffer.wrap(new byte[4])), "six bytes are still due");
    assertEquals(6, u.remaining());
    u.discard();
  }

  @Test
  void aCutUploadKeepsItsBytesAndTheResumeFromThereStoresTheWholeFileOnce() throws Exception {
    byte[] content = bytes(90, 1);
    bob.count();
    Upload first = bob.begin("r.bin", 90);
    first.accept(0, 90);
    first.receive(ByteBuffer.wrap(content, 0, 40));
    first.abort();
    assertEquals(40, Files.size(bob.partialOf("r.bin")));
    assertEquals(40, bob.stored(), "the kept bytes count as stored");

    Upload again = bob.begin("r.bin", 90);
    assertEquals(40, again.kept());
    assertEquals(sha256(Arrays.copyOf(content, 40)), again.hashKept());
    assertEquals("length must be 50", assertThrows(Refused.class, () -> again.accept(40, 90)).getMessage());
    again.accept(40, 50);
    assertEquals(50, again.remaining());
    assertEquals(40, again.offset());
    assertEquals(USER, again.user());
    assertEquals("/r.bin", again.virtualPath());
    assertEquals(40, again.quotaBefore(), "what the user stored when it began");
    finish(again, Arrays.copyOfRange(content, 40, 90));
    assertEquals(50, again.received());
    assertTrue(again.matches(sha256(content)));
    assertArrayEquals(content, Files.readAllBytes(bob.file("r.bin")));
    assertEquals(90, bob.stored());
    assertEquals(1, bob.quotas().usage(USER).entries());
  }

  @Test
  void aRestartFromZeroDropsTheKeptBytesAndCountsOnlyTheNewFile() throws Exception {
    byte[] content = bytes(90, 2);
    bob.count();
    Upload first = bob.begin("s.bin", 90);
    first.accept(0, 90);
    first.receive(ByteBuffer.wrap(bytes(40, 9)));
    first.abort();
    Upload again = bob.begin("s.bin", 90);
    again.hashKept(); // offered as a prefix, which the client's bytes do not match
    again.accept(0, 90);
    assertEquals(90, bob.quotas().usage(USER).reserved(), "the whole size is held again");
    assertEquals(0, bob.stored(), "the dropped bytes left the totals");
    finish(again, content);
    assertTrue(again.matches(sha256(content)), "the hash is of the new bytes only");
    assertEquals(0, bob.quotas().usage(USER).reserved());
    assertArrayEquals(content, Files.readAllBytes(bob.file("s.bin")));
    assertEquals(90, bob.stored());
  }

  @Test
  void aPartialLargerThanTheNewDeclaredSizeIsEmptiedAndItsBytesLeaveTheTotals() throws Exception {
    bob.count();
    Upload first = bob.begin("t.bin", 90);
    first.accept(0, 90);
    first.receive(ByteBuffer.wrap(bytes(60, 3)));
    first.abort();
    byte[] content = bytes(50, 4);
    Upload smaller = bob.begin("t.bin", 50);
    assertEquals(0, smaller.kept());
    assertEquals(0, bob.stored(), "the emptied partial holds nothing");
    smaller.accept(0, 50);
    finish(smaller, content);
    assertArrayEquals(content, Files.readAllBytes(bob.file("t.bin")));
    assertEquals(50, bob.stored());
  }

  @Test
  void aPartialOfExactlyTheDeclaredSizeIsKeptWhole() throws Exception {
    byte[] content = bytes(30, 5);
    bob.count();
    Upload first = bob.begin("e.bin", 30);
    first.accept(0, 30);
    first.receive(ByteBuffer.wrap(content));
    first.abort();
    Upload again = bob.begin("e.bin", 30);
    assertEquals(30, again.kept());
    again.accept(30, 0);
    assertEquals(0, again.remaining());
    again.commitBlocking();
    again.committed();
    assertArrayEquals(content, Files.readAllBytes(bob.file("e.bin")));
  }

  @Test
  void aKeptPartialDoesNotLetAnUploadPastTheQuota() throws Exception {
    Files.write(bob.file("other.bin"), new byte[20]);
    bob.count();
    Upload first = bob.begin("k.bin", 60);
    first.accept(0, 60);
    first.receive(ByteBuffer.wrap(bytes(40, 6)));
    first.abort();
    assertEquals(60, bob.stored());
    Refused over = assertThrows(Refused.class, () -> bob.begin("k.bin", 90));
    assertEquals(Refusal.QUOTA_EXCEEDED, over.code(), "60 stored + 50 still to come is over 100");
    assertTrue(bob.locks().tryHold(bob.partialOf("k.bin")), "the refused upload let its partial go");
    bob.locks().release(bob.partialOf("k.bin"));
  }

  @Test
  void anAbortKeepsOnlyWhatFitsWithoutTheReplacedFilesCredit() throws Exception {
    Files.write(bob.file("f.bin"), new byte[80]);
    bob.count();
    Upload u = bob.begin("f.bin", 100); // fits only with the 80 bytes it will free
    u.accept(0, 100);
    u.receive(ByteBuffer.wrap(bytes(50, 7)));
    u.abort();
    assertEquals(20, Files.size(bob.partialOf("f.bin")), "100 - 80 for the file that stays");
    assertEquals(100, bob.stored());
    assertEquals(80, Files.size(bob.file("f.bin")));
  }

  @Test
  void anAbortWithNoRoomLeftDeletesThePartialAndItsEntry() throws Exception {
    Files.write(bob.file("full.bin"), new byte[100]);
    bob.count();
    Upload u = bob.begin("full.bin", 100);
    u.accept(0, 100);
    u.receive(ByteBuffer.wrap(bytes(10, 8)));
    u.abort();
    assertFalse(Files.exists(bob.partialOf("full.bin")));
    assertEquals(100, bob.stored());
    assertEquals(1, bob.quotas().usage(USER).entries());
  }

  @Test
  void aDiscardDeletesThePartialAndRestoresTheTotals() throws Exception {
    bob.count();
    Upload u = bob.begin("d.bin", 50);
    u.accept(0, 50);
    u.receive(ByteBuffer.wrap(bytes(20, 9)));
    u.discard();
    assertFalse(Files.exists(bob.partialOf("d.bin")));
    assertEquals(0, bob.stored());
    assertEquals(0, bob.quotas().usage(USER).entries());
    assertEquals(0, bob.quotas().usage(USER).reserved());
  }

  @Test
  void aNameBeingUploadedIsBusyForOthersUntilTheUploadEnds() throws Exception {
    bob.count();
    Upload u = bob.begin("b.bin", 10);
    assertTrue(bob.locks().isLockedAtOrUnder(bob.home().root()), "the bob.home() holds an upload");
    assertTrue(bob.locks().isLockedAtOrUnder(bob.file("b.bin")));
    assertFalse(bob.locks().isLockedAtOrUnder(bob.file("other.bin")));
    assertEquals(Refusal.BUSY, assertThrows(Refused.class, () -> bob.begin("b.bin", 10)).code());
    assertFalse(bob.locks().tryHold(bob.partialOf("b.bin")), "the clean-up cannot take it either");
    u.abort();
    assertFalse(bob.locks().isLockedAtOrUnder(bob.home().root()));
    Upload next = bob.begin("b.bin", 10);
    assertNotNull(next);
    next.discard();
  }

  @Test
  void anUploadOverAFolderIsRefused() throws Exception {
    Files.createDirectories(bob.file("dir"));
    bob.count();
    assertEquals(Refusal.IS_A_DIRECTORY, assertThrows(Refused.class, () -> bob.begin("dir", 1)).code());
  }

  private static long openDescriptors() throws IOException {
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void uploadsThatEndInAnyWayLeaveNoFileOpen() throws Exception {
    bob.count();
    for (int i = 0; i < 5; i++) bob.begin("warm" + i + ".bin", 1).discard();
    long before = openDescriptors();
    for (int i = 0; i < 60; i++) {
      Upload aborted = bob.begin("a" + i + ".bin", 1);
      aborted.accept(0, 1);
      aborted.receive(ByteBuffer.wrap(new byte[0]));
      aborted.abort(); // an empty partial is deleted
      Upload discarded = bob.begin("d" + i + ".bin", 1);
      discarded.accept(0, 1);
      discarded.discard();
      Upload committed = bob.begin("c.bin", 1);
      committed.accept(0, 1);
      finish(committed, new byte[1]);
      Upload cut = bob.begin("k.bin", 2);
      cut.accept(cut.kept(), 2 - cut.kept());
      cut.receive(ByteBuffer.wrap(new byte[1]));
      cut.abort(); // keeps its byte: the next round resumes from it
    }
    assertTrue(openDescriptors() - before < 20, "descriptors leaked: " + (openDescriptors() - before));
  }

  @Test
  void aResumedPartialThatNoLongerFitsIsDeletedAndLeavesTheTotals() throws Exception {
    java.util.concurrent.atomic.AtomicLong limit = new java.util.concurrent.atomic.AtomicLong(LIMIT);
    FileStore store2 = new FileStore(data.resolve("other"));
    Home home2 = store2.home(USER);
    Quotas q = DiskQuotas.of(store2, () -> limit.get(), 1000);
    q.whenKnown(USER, "1", failure -> assertNull(failure));
    Upload first = Upload.begin(USER, home2, q, bob.locks(), "/p.bin", 90);
    first.accept(0, 90);
    first.receive(ByteBuffer.wrap(bytes(40, 12)));
    first.abort();
    Upload again = Upload.begin(USER, home2, q, bob.locks(), "/p.bin", 90);
    assertEquals(40, again.kept());
    limit.set(0); // an administrator lowered the quota meanwhile
    again.abort();
    assertFalse(Files.exists(home2.partialFor(home2.root().resolve("p.bin"))));
    assertEquals(0, q.usage(USER).stored());
    assertEquals(0, q.usage(USER).entries());
  }
}
