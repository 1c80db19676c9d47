package dev.selectftp.server.quota;

import dev.selectftp.server.storage.Tally;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QuotasTest {
  private static final long MIB = 1L << 20;
  private static final long MAX_ENTRIES = 10;

  /** A count in flight: the test finishes it, as the helper thread's result posted to the loop would. */
  private record Pending(String user, BiConsumer<Tally, Exception> onLoop) {}

  private final List<Pending> counts = new ArrayList<>();
  private final Quotas quotas = new Quotas(u -> 100 * MIB, MAX_ENTRIES,
      (user, onLoop) -> counts.add(new Pending(user, onLoop)));

  @BeforeEach
  void countXiaoyu() {
    quotas.whenKnown("xiaoyu", "1", failure -> assertNull(failure));
    finish(0, new Tally(60 * MIB, 3));
  }

  private void finish(int index, Tally tally) {
    counts.remove(index).onLoop().accept(tally, null);
  }

  private static Refusal codeOf(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(Refused.class, e).code();
  }

  @Test
  void aUserNotCountedIsRefusedAndNeverScanned() {
    assertFalse(quotas.isKnown("bob"));
    assertEquals(Refusal.BUSY, codeOf(() -> quotas.usage("bob")));
    assertEquals(Refusal.BUSY, codeOf(() -> quotas.reserve("bob", 1, 0)));
    assertEquals(Refusal.BUSY, codeOf(() -> quotas.claimEntry("bob")));
    assertTrue(quotas.find("bob").isEmpty());
    assertTrue(counts.isEmpty(), "asking never starts a walk; only whenKnown does, off the loop");
  }

  @Test
  void everySessionWaitingForAUserSharesOneCount() throws Refused {
    List<Exception> told = new ArrayList<>();
    quotas.whenKnown("bob", "1", told::add);
    quotas.whenKnown("bob", "1", told::add);
    assertEquals(1, counts.size(), "one walk for both sessions");
    assertTrue(told.isEmpty(), "nobody proceeds before the count is in");
    finish(0, new Tally(5 * MIB, 2));
    assertEquals(2, told.size());
    assertEquals(new Quotas.Usage(5 * MIB, 0, 100 * MIB, 2, MAX_ENTRIES), quotas.usage("bob"));
    quotas.whenKnown("bob", "1", told::add);
    assertEquals(3, told.size(), "a counted user is answered at once");
    assertTrue(counts.isEmpty(), "and never counted again");
  }

  @Test
  void aCountThatRacedAChangeIsDoneAgain() throws Refused {
    quotas.whenKnown("bob", "1", failure -> {});
    quotas.apply("bob", new Tally(-4 * MIB, -1)); // the sweep freed a partial while the walk ran
    finish(0, new Tally(9 * MIB, 3));
    assertFalse(quotas.isKnown("bob"), "the walk may or may not have seen the partial: not trusted");
    assertEquals(1, counts.size(), "counted again");
    finish(0, new Tally(5 * MIB, 2));
    assertEquals(5 * MIB, quotas.usage("bob").stored());
  }

  @Test
  void aCountFinishingWhileACleanUpDeletesInTheHomeWaitsForTheCleanUpsDelta() throws Refused {
    quotas.whenKnown("bob", "1", failure -> {});
    quotas.beginChange("bob"); // the sweep starts on bob's home while the walk runs
    finish(0, new Tally(9 * MIB, 3)); // the walk ends before the sweep's delta is in: not trusted
    assertFalse(quotas.isKnown("bob"));
    assertTrue(counts.isEmpty(), "no walk races the clean-up");
    quotas.endChange("bob", new Tally(-4 * MIB, -1));
    assertEquals(1, counts.size(), "counted once the clean-up is applied");
    finish(0, new Tally(5 * MIB, 2));
    assertEquals(new Quotas.Usage(5 * MIB, 0, 100 * MIB, 2, MAX_ENTRIES), quotas.usage("bob"));
  }

  @Test
  void aCleanUpOfACountedHomeIsAppliedAsADeltaWithoutAWalk() throws Refused {
    quotas.beginChange("xiaoyu");
    quotas.endChange("xiaoyu", new Tally(-10 * MIB, -2));
    assertEquals(new Quotas.Usage(50 * MIB, 0, 100 * MIB, 1, MAX_ENTRIES), quotas.usage("xiaoyu"));
    quotas.beginChange("carol"); // a home nobody logged into: nothing to count, nothing kept
    quotas.endChange("carol", new Tally(-1, -1));
    assertFalse(quotas.isKnown("carol"));
    assertTrue(counts.isEmpty());
  }

  @Test
  void aNameRemovedAndRegisteredAgainIsCountedAfreshButNotUnderARunningUpload() throws Refused {
    assertTrue(quotas.isKnown("xiaoyu", "1"));
    assertFalse(quotas.isKnown("xiaoyu", "2"), "another account of the name");
    Reservation r = quotas.reserve("xiaoyu", 1, 0);
    quotas.whenKnown("xiaoyu", "2", failure -> {});
    assertTrue(counts.isEmpty(), "an upload of the old account still settles against these totals");
    assertFalse(quotas.isKnown("xiaoyu", "2"), "so the next login of the new account counts");
    r.release(Tally.ZERO);
    quotas.whenKnown("xiaoyu", "2", failure -> {});
    assertFalse(quotas.isKnown("xiaoyu"));
    finish(0, Tally.ZERO);
    assertEquals(new Quotas.Usage(0, 0, 100 * MIB, 0, MAX_ENTRIES), quotas.usage("xiaoyu"));
  }

  @Test
  void aFailedCountIsReportedAndTheNextLoginCountsAgain() {
    List<Exception> told = new ArrayList<>();
    quotas.whenKnown("bob", "1", told::add);
    IOException boom = new IOException("unreadable");
    counts.remove(0).onLoop().accept(null, boom);
    assertSame(boom, told.get(0));
    assertFalse(quotas.isKnown("bob"));
    quotas.whenKnown("bob", "1", told::add);
    assertEquals(1, counts.size());
  }

  @Test
  void reservesWithinTheLimitAndCountsTheReservationAsUsed() throws Refused {
    Reservation r = quotas.reserve("xiaoyu", 40 * MIB, 0);
    assertEquals(40 * MIB, r.bytes());
    assertEquals(100 * MIB, quotas.usage("xiaoyu").used());
  }

  @Test
  void refusesOverTheLimitWithHumanUnitsInTheMessage() throws Refused {
    Refused e = assertThrows(Refused.class, () -> quotas.reserve("xiaoyu", 40 * MIB + 1, 0));
    assertEquals(Refusal.QUOTA_EXCEEDED, e.code());
    assertTrue(e.getMessage().contains("40 MiB") && e.getMessage().contains("100 MiB"), e.getMessage());
    assertEquals(0, quotas.usage("xiaoyu").reserved(), "a refusal reserves nothing");
  }

  @Test
  void creditForTheReplacedFileLetsALargerUploadFitButIsNotLent() throws Refused {
    assertThrows(Refused.class, () -> quotas.reserve("xiaoyu", 50 * MIB, 0));
    Reservation r = quotas.reserve("xiaoyu", 50 * MIB, 10 * MIB);
    assertEquals(50 * MIB, quotas.usage("xiaoyu").reserved(), "the credit is not lent to other sessions");
    r.commit(new Tally(50 * MIB - 10 * MIB, -1));
    assertEquals(new Quotas.Usage(100 * MIB, 0, 100 * MIB, 2, MAX_ENTRIES), quotas.usage("xiaoyu"));
  }

  @Test
  void roomWithoutCreditLeavesOutTheUploadsOwnBytesButNotOthersReservations() throws Refused {
    Reservation replacing = quotas.reserve("xiaoyu", 30 * MIB, 20 * MIB);
    // Stored 60 MiB, of which 0 are this partial's; nothing else reserved: 40 MiB fit without the credit.
    assertEquals(40 * MIB, quotas.roomWithoutCredit("xiaoyu", 0, replacing));
    Reservation other = quotas.reserve("xiaoyu", 5 * MIB, 0);
    assertEquals(35 * MIB, quotas.roomWithoutCredit("xiaoyu", 0, replacing), "another upload's room is kept");
    assertEquals(45 * MIB, quotas.roomWithoutCredit("xiaoyu", 10 * MIB, replacing), "its own counted bytes");
    replacing.release(Tally.ZERO);
    other.release(Tally.ZERO);
    assertEquals(0, quotas.roomWithoutCredit("nobody", 0, null), "a user not counted has no room");
  }

  @Test
  void twoRacingReservationsCannotBothPassTheLimit() throws Refused {
    quotas.reserve("xiaoyu", 30 * MIB, 0);
    assertThrows(Refused.class, () -> quotas.reserve("xiaoyu", 30 * MIB, 0));
    assertTrue(quotas.usage("xiaoyu").used() <= 100 * MIB);
    assertDoesNotThrow(() -> quotas.reserve("xiaoyu", 10 * MIB, 0), "the exact remainder still fits");
  }

  @Test
  void releaseOnAbortMovesWrittenBytesIntoStoredAndFreesTheRest() throws Refused {
    Reservation r = quotas.reserve("xiaoyu", 30 * MIB, 0);
    r.release(new Tally(12 * MIB, 0));
    assertEquals(new Quotas.Usage(72 * MIB, 0, 100 * MIB, 3, MAX_ENTRIES), quotas.usage("xiaoyu"));
    assertFalse(r.isOpen());
  }

  @Test
  void commitIsIdempotentAndReleaseAfterCommitDoesNothing() throws Refused {
    Reservation r = quotas.reserve("xiaoyu", 30 * MIB, 0);
    r.commit(new Tally(30 * MIB, 0));
    r.commit(new Tally(30 * MIB, 0));
    r.release(new Tally(30 * MIB, 0));
    assertEquals(new Quotas.Usage(90 * MIB, 0, 100 * MIB, 3, MAX_ENTRIES), quotas.usage("xiaoyu"));
  }

  @Test
  void usersAreAccountedSeparately() throws Refused {
    quotas.whenKnown("bob", "1", failure -> {});
    finish(0, Tally.ZERO);
    quotas.reserve("xiaoyu", 40 * MIB, 0);
    assertDoesNotThrow(() -> quotas.reserve("bob", 100 * MIB, 0));
  }

  @Test
  void applyFollowsDeletesAndCleanUps() throws Refused {
    quotas.apply("xiaoyu", new Tally(-20 * MIB, -1));
    assertEquals(40 * MIB, quotas.usage("xiaoyu").stored());
    assertEquals(2, quotas.usage("xiaoyu").entries());
  }

  @Test
  void entriesAreRefusedAtTheMaximumAndFreedByDeletes() throws Refused {
    for (long i = 3; i < MAX_ENTRIES; i++) quotas.claimEntry("xiaoyu");
    Refused e = assertThrows(Refused.class, () -> quotas.claimEntry("xiaoyu"));
    assertEquals(Refusal.QUOTA_EXCEEDED, e.code());
    assertTrue(e.getMessage().contains(String.valueOf(MAX_ENTRIES)), e.getMessage());
    assertEquals(MAX_ENTRIES, quotas.usage("xiaoyu").entries(), "a refusal counts nothing");
    quotas.apply("xiaoyu", new Tally(0, -1));
    assertDoesNotThrow(() -> quotas.claimEntry("xiaoyu"));
  }

  @Test
  void hugeAnnouncedSizesDoNotOverflowIntoAcceptance() {
    assertThrows(Refused.class, () -> quotas.reserve("xiaoyu", Long.MAX_VALUE, 0));
    assertThrows(IllegalArgumentException.class, () -> quotas.reserve("xiaoyu", -1, 0));
  }
}
