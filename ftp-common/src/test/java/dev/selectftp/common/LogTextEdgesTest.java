package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The edges of {@link LogText}: every escaped character after the first, the length limit, the bidi ranges. */
class LogTextEdgesTest {
  @Test
  void everyControlCharacterIsEscapedNotOnlyTheFirst() {
    assertEquals("a\\u000ab\\u000dc\\u0009d", LogText.of("a\nb\rc\td"));
  }

  @Test
  void aControlCharacterAtTheStartIsEscaped() {
    assertEquals("\\u001bx", LogText.of("\u001bx"));
  }

  @Test
  void textOfExactlyTheLimitIsKeptWhole() {
    String limit = "y".repeat(LogText.MAX_CHARS);
    assertEquals(limit, LogText.of(limit));
  }

  @Test
  void bothEndsOfEachBidiRangeAreEscapedAndTheirNeighboursAreNot() {
    assertEquals("\\u202a\\u202e\\u2066\\u2069", LogText.of("\u202a\u202e\u2066\u2069"));
    assertEquals("\u2065\u206a\u202f\u2027", LogText.of("\u2065\u206a\u202f\u2027"));
  }
}
