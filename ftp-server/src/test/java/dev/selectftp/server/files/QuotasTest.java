package dev.selectftp.server.files;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.ProtocolException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QuotasTest {
  private static final long MIB = 1L << 20;
  private final Map<String, Long> onDisk = new HashMap<>(Map.of("xiaoyu", 60 * MIB, "bob", 0L));
  private final AtomicInteger scans = new AtomicInteger();
  private final Quotas quotas = new Quotas(u -> 100 * MIB, u -> {
    scans.incrementAndGet();
    return onDisk.get(u);
  });

  @Test
  void scansStoredBytesOnceAndReportsUsage() {
    Quotas.Usage u = quotas.usage("xiaoyu");
    quotas.usage("xiaoyu");
    assertEquals(new Quotas.Usage(60 * MIB, 0, 100 * MIB), u);
    assertEquals(60 * MIB, u.used());
    assertEquals(1, scans.get());
  }

  @Test
  void reservesWithinTheLimitAndCountsTheReservationAsUsed() throws ProtocolException {
    Quotas.Reservation r = quotas.reserve("xiaoyu", 40 * MIB, 0);
    assertEquals(40 * MIB, r.bytes());
    assertEquals(100 * MIB, quotas.usage("xiaoyu").used());
  }

  @Test
  void refusesOverTheLimitWithHumanUnitsInTheMessage() {
    ProtocolException e = assertThrows(ProtocolException.class, () -> quotas.reserve("xiaoyu", 40 * MIB + 1, 0));
    assertEquals(ErrorCode.QUOTA_EXCEEDED, e.code());
    assertTrue(e.getMessage().contains("40 MiB") && e.getMessage().contains("100 MiB"), e.getMessage());
    assertEquals(0, quotas.usage("xiaoyu").reserved(), "a refusal reserves nothing");
  }

  @Test
  void creditForTheReplacedFileLetsALargerUploadFit() throws ProtocolException {
    assertThrows(ProtocolException.class, () -> quotas.reserve("xiaoyu", 50 * MIB, 0));
    Quotas.Reservation r = quotas.reserve("xiaoyu", 50 * MIB, 10 * MIB);
    assertEquals(50 * MIB, quotas.usage("xiaoyu").reserved(), "the credit is not lent to other sessions");
    r.commit(50 * MIB - 10 * MIB);
    assertEquals(new Quotas.Usage(100 * MIB, 0, 100 * MIB), quotas.usage("xiaoyu"));
  }

  @Test
  void twoRacingReservationsCannotBothPassTheLimit() throws ProtocolException {
    quotas.reserve("xiaoyu", 30 * MIB, 0);
    assertThrows(ProtocolException.class, () -> quotas.reserve("xiaoyu", 30 * MIB, 0));
    assertTrue(quotas.usage("xiaoyu").used() <= 100 * MIB);
    assertDoesNotThrow(() -> quotas.reserve("xiaoyu", 10 * MIB, 0), "the exact remainder still fits");
  }

  @Test
  void releaseOnAbortMovesWrittenBytesIntoStoredAndFreesTheRest() throws ProtocolException {
    Quotas.Reservation r = quotas.reserve("xiaoyu", 30 * MIB, 0);
    r.release(12 * MIB);
    assertEquals(new Quotas.Usage(72 * MIB, 0, 100 * MIB), quotas.usage("xiaoyu"));
    assertFalse(r.isOpen());
  }

  @Test
  void commitIsIdempotentAndReleaseAfterCommitDoesNothing() throws ProtocolException {
    Quotas.Reservation r = quotas.reserve("xiaoyu", 30 * MIB, 0);
    r.commit(30 * MIB);
    r.commit(30 * MIB);
    r.release(30 * MIB);
    assertEquals(new Quotas.Usage(90 * MIB, 0, 100 * MIB), quotas.usage("xiaoyu"));
  }

  @Test
  void usersAreAccountedSeparately() throws ProtocolException {
    quotas.reserve("xiaoyu", 40 * MIB, 0);
    assertDoesNotThrow(() -> quotas.reserve("bob", 100 * MIB, 0));
  }

  @Test
  void adjustStoredFollowsDeletes() {
    quotas.usage("xiaoyu");
    quotas.adjustStored("xiaoyu", -20 * MIB);
    assertEquals(40 * MIB, quotas.usage("xiaoyu").stored());
  }

  @Test
  void forgetRescansButKeepsLiveReservationsAndDoesNotDoubleCountTheirBytes() throws ProtocolException {
    Quotas.Reservation r = quotas.reserve("xiaoyu", 30 * MIB, 0);
    onDisk.put("xiaoyu", 70 * MIB); // 10 MiB of the upload are already in its partial
    quotas.forget("xiaoyu");
    assertEquals(new Quotas.Usage(70 * MIB, 30 * MIB, 100 * MIB), quotas.usage("xiaoyu"));
    onDisk.put("xiaoyu", 90 * MIB);
    r.commit(30 * MIB); // measured against the old scan: must not be added on top of the new one
    assertEquals(new Quotas.Usage(90 * MIB, 0, 100 * MIB), quotas.usage("xiaoyu"));
    assertEquals(3, scans.get());
  }

  @Test
  void hugeAnnouncedSizesDoNotOverflowIntoAcceptance() {
    assertThrows(ProtocolException.class, () -> quotas.reserve("xiaoyu", Long.MAX_VALUE, 0));
    assertThrows(IllegalArgumentException.class, () -> quotas.reserve("xiaoyu", -1, 0));
  }

  @Test
  void storedBytesCountedOffTheLoopSpareTheFirstCheckAScan() {
    long version = quotas.version("xiaoyu");
    quotas.primeStored("xiaoyu", 60 * MIB, version);
    assertTrue(quotas.isKnown("xiaoyu"));
    assertEquals(60 * MIB, quotas.usage("xiaoyu").stored());
    assertEquals(0, scans.get(), "the home was not walked again");
  }

  @Test
  void countStartedBeforeADeleteIsNotRecordedAfterIt() {
    long version = quotas.version("xiaoyu");
    quotas.adjustStored("xiaoyu", -10 * MIB); // a delete while the helper thread was still walking
    quotas.primeStored("xiaoyu", 60 * MIB, version);
    assertFalse(quotas.isKnown("xiaoyu"));
    onDisk.put("xiaoyu", 50 * MIB);
    assertEquals(50 * MIB, quotas.usage("xiaoyu").stored(), "counted afresh from the disk");
  }

  @Test
  void countArrivingAfterTheUserWasCountedChangesNothing() {
    long version = quotas.version("xiaoyu");
    assertEquals(60 * MIB, quotas.usage("xiaoyu").stored());
    quotas.primeStored("xiaoyu", 1, version);
    assertEquals(60 * MIB, quotas.usage("xiaoyu").stored());
  }
}
