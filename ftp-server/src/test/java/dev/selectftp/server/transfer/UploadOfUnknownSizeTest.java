package dev.selectftp.server.transfer;

import static dev.selectftp.server.transfer.DiskUploads.USER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload that did not declare its size (FTP's STOR and APPE): the reservation grows slice by slice and
 * with ALLO, never past the quota, and an append copies the file first.
 */
class UploadOfUnknownSizeTest {
  private static final long LIMIT = 100;
  @TempDir Path data;
  private DiskUploads bob;

  @BeforeEach
  void setUp() throws IOException {
    bob = new DiskUploads(data, () -> LIMIT);
  }

  private Upload begin(String name) throws Exception {
    bob.quotas().whenKnown(USER, "1", failure -> assertNull(failure));
    return bob.begin(name, Upload.UNKNOWN_SIZE);
  }

  @Test
  void theReservationGrowsByWhatArrivesAndNoMore() throws Exception {
    Upload u = begin("s.bin");
    u.accept(0, Upload.UNKNOWN_SIZE);
    assertEquals(Long.MAX_VALUE, u.remaining(), "no end is known");
    u.receive(ByteBuffer.wrap(new byte[30]));
    assertEquals(30, bob.reserved());
    u.receive(ByteBuffer.wrap(new byte[30]));
    assertEquals(60, bob.reserved());
    u.endOfData();
    assertEquals(60, u.size());
    u.commitBlocking();
    u.committed();
    assertEquals(60, Files.size(bob.home().root().resolve("s.bin")));
    assertEquals(60, bob.quotas().usage(USER).stored());
    assertEquals(0, bob.reserved());
  }

  @Test
  void allocatingHoldsTheLargestAmountAskedForOnce() throws Exception {
    Upload u = begin("a.bin");
    u.allocate(50);
    assertEquals(50, bob.reserved());
    u.allocate(70);
    assertEquals(70, bob.reserved());
    u.allocate(20);
    assertEquals(70, bob.reserved());
    u.accept(0, Upload.UNKNOWN_SIZE);
    u.receive(ByteBuffer.wrap(new byte[60]));
    assertEquals(70, bob.reserved(), "bytes within the allocation hold nothing more");
    assertThrows(Refused.class, () -> u.allocate(101));
    u.discard();
  }

  @Test
  void aSliceThatWouldPassTheQuotaStopsTheUploadAndIsNotWritten() throws Exception {
    Upload u = begin("big.bin");
    u.accept(0, Upload.UNKNOWN_SIZE);
    u.receive(ByteBuffer.wrap(new byte[90]));
    assertNull(u.overQuota());
    u.receive(ByteBuffer.wrap(new byte[20]));
    assertNotNull(u.overQuota());
    assertEquals(Refusal.QUOTA_EXCEEDED, u.overQuota().code());
    assertEquals(0, u.remaining(), "nothing more is taken");
    u.discard();
    assertFalse(Files.exists(bob.home().partialFor(bob.home().root().resolve("big.bin"))));
    assertEquals(0, bob.quotas().usage(USER).stored());
  }

  @Test
  void anAppendCopiesTheFileIntoThePartialAndAddsToIt() throws Exception {
    byte[] old = "old bytes;".getBytes();
    Files.write(bob.home().root().resolve("log.txt"), old);
    Upload u = begin("log.txt");
    assertEquals(old.length, u.replacing());
    u.holdForCopy();
    assertEquals(old.length, bob.reserved(), "room for the copy, covered by the file's credit");
    String prefix = u.copyTargetBlocking();
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(old)), prefix);
    assertEquals(old.length, u.kept());
    u.accept(old.length, Upload.UNKNOWN_SIZE);
    u.receive(ByteBuffer.wrap(" new".getBytes()));
    u.endOfData();
    u.commitBlocking();
    u.committed();
    assertArrayEquals("old bytes; new".getBytes(), Files.readAllBytes(bob.home().root().resolve("log.txt")));
    assertEquals(14, bob.quotas().usage(USER).stored());
  }

  @Test
  void anAppendAfterAnInterruptedUploadIsRefusedACopy() throws Exception {
    Files.write(bob.home().root().resolve("f.txt"), new byte[5]);
    Upload first = begin("f.txt");
    first.accept(0, Upload.UNKNOWN_SIZE);
    first.receive(ByteBuffer.wrap(new byte[3]));
    first.abort();
    Upload again = begin("f.txt");
    assertTrue(again.kept() > 0);
    assertEquals(Refusal.BAD_REQUEST, assertThrows(Refused.class, again::holdForCopy).code());
    again.discard();
  }
}
