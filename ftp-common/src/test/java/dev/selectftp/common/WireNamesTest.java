package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The names that go over the wire (error codes, the TLS offer) read back as what was sent. */
class WireNamesTest {
  @Test
  void everyErrorCodeReadsBackFromItsWireCode() {
    for (ErrorCode code : ErrorCode.values()) assertSame(code, ErrorCode.fromCode(code.code()));
  }

  @Test
  void anErrorCodeThisBuildDoesNotKnowReadsAsInternal() {
    assertSame(ErrorCode.INTERNAL, ErrorCode.fromCode("from-a-newer-server"));
  }

  @Test
  void anErrorReplyTellsItsCode() {
    assertSame(ErrorCode.QUOTA_EXCEEDED, Response.Error.of(ErrorCode.QUOTA_EXCEEDED, "full").errorCode());
  }

  @Test
  void tlsOffersHaveTheDocumentedWireNames() {
    assertEquals("off", TlsOffer.OFF.wireName());
    assertEquals("optional", TlsOffer.OPTIONAL.wireName());
    assertEquals("required", TlsOffer.REQUIRED.wireName());
  }

  @Test
  void everyTlsOfferReadsBackAndAnAbsentOneMeansOff() {
    for (TlsOffer offer : TlsOffer.values()) assertSame(offer, TlsOffer.fromWire(offer.wireName()));
    assertSame(TlsOffer.OFF, TlsOffer.fromWire(null));
    assertThrows(IllegalArgumentException.class, () -> TlsOffer.fromWire("sometimes"));
  }
}
