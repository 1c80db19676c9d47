package dev.selectftp.server.quota;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The quota's arithmetic at its edges (exactly at the limit, with credit, in the refusal's numbers) and its
 * bookkeeping of counts: any change while a walk runs makes the walk untrusted, waiters are told once.
 */
class QuotaArithmeticTest {
  private static final long MIB = 1L << 20;
  private static final long LIMIT = 100 * MIB;

  private record Pending(String user, BiConsumer<Tally, Exception> onLoop) {}

  private final List<Pending> counts = new ArrayList<>();
  private final Quotas quotas = new Quotas(u -> LIMIT, 10, (user, onLoop) -> counts.add(new Pending(user, onLoop)));

  private void finish(Tally tally) {
    counts.remove(0).onLoop().accept(tally, null);
  }

  @BeforeEach
  void countBobAtSixtyMib() {
    quotas.whenKnown("bob", "1", failure -> {});
    finish(new Tally(60 * MIB, 3));
  }

  @Test
  void theRefusalSaysWhatTheUploadNeedsAfterItsCreditAndWhatIsFree() {
    Refused e = assertThrows(Refused.class, () -> quotas.reserve("bob", 50 * MIB, 5 * MIB));
    assertEquals(Refusal.QUOTA_EXCEEDED, e.code());
    assertEquals("the upload needs 45 MiB but only 40 MiB of your 100 MiB quota is free", e.getMessage());
  }

  @Test
  void growingByNothingIsAllowed() throws Refused {
    Reservation r = quotas.reserve("bob", 0, 0);
    assertDoesNotThrow(() -> quotas.grow("bob", r, 0));
    assertThrows(IllegalArgumentException.class, () -> quotas.grow("bob", r, -1));
  }

  @Test
  void aReservationGrowsWithItsCreditExactlyUpToTheLimitAndNotOneByteMore() throws Refused {
    Reservation r = quotas.reserve("bob", 0, 10 * MIB); // replaces a 10 MiB file
    quotas.grow("bob", r, 50 * MIB); // 60 stored + 50 - 10 credit = 100: exactly the limit
    assertEquals(50 * MIB, r.bytes());
    Refused e = assertThrows(Refused.class, () -> quotas.grow("bob", r, 1));
    assertEquals(Refusal.QUOTA_EXCEEDED, e.code());
    assertEquals(50 * MIB, r.bytes(), "a refused growth holds nothing more");
  }

  @Test
  void freeSpaceIsTheLimitLessStoredAndReservedAndNeverNegative() {
    assertEquals(30, new Quotas.Usage(60, 10, 100, 0, 10).free());
    assertEquals(0, new Quotas.Usage(90, 20, 100, 0, 10).free());
  }

  @Test
  void aCleanUpBegunAndEndedWhileAWalkRunsMakesTheWalkUntrusted() throws Refused {
    quotas.whenKnown("carol", "1", failure -> {});
    quotas.beginChange("carol");
    quotas.endChange("carol", new Tally(-4 * MIB, -1));
    finish(new Tally(9 * MIB, 3)); // it may or may not have seen the clean-up
    assertFalse(quotas.isKnown("carol"));
    assertEquals(1, counts.size(), "counted again");
    finish(new Tally(5 * MIB, 2));
    assertEquals(5 * MIB, quotas.usage("carol").stored());
  }

  @Test
  void anUploadEndingWhileANewAccountOfTheNameIsCountedMakesTheCountUntrusted() throws Refused {
    Reservation empty = quotas.reserve("bob", 0, 0); // holds no bytes: the new account is counted at once
    quotas.whenKnown("bob", "2", failure -> {});
    assertEquals(1, counts.size());
    empty.commit(new Tally(5, 1));
    quotas.apply("bob", new Tally(1, 0));
    finish(new Tally(7 * MIB, 1));
    assertFalse(quotas.isKnown("bob"), "two changes happened during the walk");
    assertEquals(1, counts.size());
  }

  @Test
  void aCleanUpOfAKnownHomeKeepsItKnown() throws Refused {
    quotas.beginChange("bob");
    quotas.endChange("bob", new Tally(-10 * MIB, -1));
    assertTrue(quotas.isKnown("bob"));
    assertEquals(50 * MIB, quotas.usage("bob").stored());
  }

  @Test
  void aCleanUpWhileAFirstCountRunsKeepsTheWaitersAndTheCount() throws Refused {
    List<Exception> told = new ArrayList<>();
    quotas.whenKnown("dave", "1", told::add);
    quotas.beginChange("dave");
    quotas.endChange("dave", new Tally(-1, -1));
    finish(new Tally(9, 1)); // raced the clean-up: counted again
    finish(new Tally(8, 1));
    assertEquals(1, told.size());
    assertTrue(quotas.isKnown("dave"));
    assertEquals(8, quotas.usage("dave").stored());
  }

  @Test
  void aWaiterToldOfAFailedCountIsNotToldAgainByTheNextCount() {
    List<Exception> first = new ArrayList<>();
    quotas.whenKnown("erin", "1", first::add);
    counts.remove(0).onLoop().accept(null, new java.io.IOException("unreadable"));
    assertEquals(1, first.size());
    List<Exception> second = new ArrayList<>();
    quotas.whenKnown("erin", "1", second::add);
    finish(new Tally(1, 1));
    assertEquals(1, first.size(), "the first waiter was answered once");
    assertEquals(1, second.size());
  }

  @Test
  void aUserMayBeAllowedASingleEntryButNotNone() {
    assertDoesNotThrow(() -> new Quotas(u -> LIMIT, 1, (user, onLoop) -> {}));
    assertThrows(IllegalArgumentException.class, () -> new Quotas(u -> LIMIT, 0, (user, onLoop) -> {}));
  }
}
