package dev.selectftp.server.transfer;

import static dev.selectftp.server.transfer.DiskUploads.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload whose partial fails underneath it, on real files: a write channel closed by an interrupt (what a
 * failing write leaves: the channel is gone), a commit that closed the partial and then failed, a partial
 * replaced by a folder or whose folder vanished before the end could look at it. Each end must still leave
 * the user's totals equal to what the disk holds, or, when the disk cannot be looked at, to the most the
 * partial can hold, and no descriptor open on the partial.
 */
class FailingPartialTest {
  @TempDir Path data;
  private final AtomicLong limit = new AtomicLong(100);
  private DiskUploads bob;

  @BeforeEach
  void setUp() throws IOException {
    bob = new DiskUploads(data, limit::get);
    bob.count();
  }

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted(); // never leak an interrupt into the next test
  }

  /** Leaves a cut upload of {@code name} whose partial keeps {@code held} bytes (counted as stored). */
  private void cutAfter(String name, long size, int held) throws Exception {
    Upload cut = bob.begin(name, size);
    cut.accept(0, size);
    cut.receive(ByteBuffer.wrap(new byte[held]));
    cut.abort();
    assertEquals(held, Files.size(bob.partialOf(name)));
  }

  @Test
  void aWriteThatFailsIsReportedAfterTheLastByteAndTheCutPartialIsSettledFromTheDisk() throws Exception {
    Upload u = bob.begin("w.bin", 60);
    u.accept(0, 60);
    assertTrue(u.receive(ByteBuffer.wrap(new byte[20])));
    Thread.currentThread().interrupt(); // the write channel is closed by the interrupt: every write after fails
    assertTrue(u.receive(ByteBuffer.wrap(new byte[20])));
    assertTrue(Thread.interrupted());
    assertFalse(u.receive(ByteBuffer.wrap(new byte[20])), "the stream is consumed to its end all the same");
    assertEquals(0, u.remaining());
    assertInstanceOf(ClosedByInterruptException.class, u.writeFailure());

    u.abort(); // the write channel is gone: the end reopens the partial to see what it really holds
    assertEquals(20, Files.size(bob.partialOf("w.bin")));
    assertEquals(20, bob.stored(), "the 20 bytes on disk, not the 60 received");
    assertEquals(Descriptors.none(), Descriptors.openOn(bob.partialOf("w.bin")));
  }

  @Test
  void aFailedCommitLeavesAPartialTrimmedToTheRoomTheQuotaLeaves() throws Exception {
    Upload u = bob.begin("t.bin", 60);
    u.accept(0, 60);
    u.receive(ByteBuffer.wrap(new byte[50]));
    u.syncBlocking(); // the first half of the commit closes the partial; then the rename fails
    limit.set(30);
    u.abort();
    assertEquals(30, Files.size(bob.partialOf("t.bin")), "reopened and trimmed to the room");
    assertEquals(30, bob.stored());
    assertEquals(Descriptors.none(), Descriptors.openOn(bob.partialOf("t.bin")));
  }

  @Test
  void aFailedCommitWithNoRoomLeftDeletesThePartialAndItsEntry() throws Exception {
    long entriesBefore = bob.entries();
    Upload u = bob.begin("z.bin", 60);
    u.accept(0, 60);
    u.receive(ByteBuffer.wrap(new byte[50]));
    u.syncBlocking();
    limit.set(0);
    u.abort();
    assertFalse(Files.exists(bob.partialOf("z.bin")));
    assertEquals(0, bob.stored());
    assertEquals(entriesBefore, bob.entries());
    assertEquals(Descriptors.none(), Descriptors.openOn(bob.partialOf("z.bin")));
  }

  @Test
  void aPartialReplacedByAFolderBeforeTheEndCountsTheMostItCanHold() throws Exception {
    cutAfter("f.bin", 50, 10);
    assertEquals(10, bob.stored());
    Upload u = bob.begin("f.bin", 50);
    assertEquals(10, u.kept());
    u.accept(10, 40);
    u.receive(ByteBuffer.wrap(new byte[25]));
    u.syncBlocking();
    Path partial = bob.partialOf("f.bin");
    Files.delete(partial);
    Files.createDirectory(partial); // the end cannot open it again to look
    u.abort();
    assertEquals(35, bob.stored(), "the 10 kept and the 25 received: the most it can hold, erring on the safe side");
  }

  @Test
  void aPartialWhoseFolderVanishedIsCountedAsGone() throws Exception {
    Files.createDirectory(bob.home().root().resolve("sub"));
    cutAfter("sub/g.bin", 40, 10);
    long entriesBefore = bob.entries();
    Upload u = bob.begin("sub/g.bin", 40);
    u.accept(10, 30);
    u.receive(ByteBuffer.wrap(new byte[15]));
    u.syncBlocking();
    Files.delete(bob.partialOf("sub/g.bin"));
    Files.delete(bob.home().root().resolve("sub")); // another process removed the folder meanwhile
    u.abort();
    assertEquals(0, bob.stored(), "the partial's 10 counted bytes are gone with it");
    assertEquals(entriesBefore - 1, bob.entries(), "and so is its entry");
  }

  @Test
  void anEndInterruptedWhileLookingAtThePartialCountsTheMostItCanHold() throws Exception {
    cutAfter("i.bin", 50, 10);
    Upload u = bob.begin("i.bin", 50);
    u.accept(10, 40);
    u.receive(ByteBuffer.wrap(new byte[15]));
    Thread.currentThread().interrupt(); // the partial's size cannot be read: the channel closes on the interrupt
    u.abort();
    assertTrue(Thread.interrupted());
    assertEquals(25, bob.stored(), "the 10 kept and the 15 received");
    assertEquals(25, Files.size(bob.partialOf("i.bin")), "nothing was trimmed or deleted");
    assertEquals(Descriptors.none(), Descriptors.openOn(bob.partialOf("i.bin")));
  }

  @Test
  void aRestartWhoseNewReservationIsRefusedStillSettlesTheEmptiedPartial() throws Exception {
    cutAfter("r.bin", 90, 40);
    long entriesWithPartial = bob.entries();
    Upload u = bob.begin("r.bin", 90);
    assertEquals(40, u.kept());
    limit.set(80); // the whole 90 bytes no longer fit
    Refused refused = assertThrows(Refused.class, () -> u.accept(0, 90));
    assertEquals(Refusal.QUOTA_EXCEEDED, refused.code());
    assertEquals(0, bob.stored(), "the dropped bytes left the totals when the partial was emptied");
    u.abort(); // the emptied partial is deleted, with no reservation left to settle it through
    assertFalse(Files.exists(bob.partialOf("r.bin")));
    assertEquals(0, bob.stored());
    assertEquals(entriesWithPartial - 1, bob.entries());
    assertEquals(bob.store().tally(USER), new Tally(bob.stored(), bob.entries()), "the totals are the disk's");
  }
}
