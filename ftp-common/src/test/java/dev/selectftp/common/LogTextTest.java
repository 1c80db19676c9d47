package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void newlineInUserNameCannotStartAForgedLine() {
    String forged = LogText.of("bob\n2026-11-30 INFO admin logged in");
    assertFalse(forged.contains("\n"));
    assertEquals("bob\\u000a2026-11-30 INFO admin logged in", forged);
  }

  @Test
  void terminalEscapesLineSeparatorsAndBidiOverridesAreWrittenAsCodes() {
    assertEquals("a\\u001b[2Jb\\u2028c\\u202ed\\u000d", LogText.of("a\u001b[2Jb\u2028c\u202ed\r"));
  }

  @Test
  void backslashIsDoubledSoAnEscapeCannotBeFaked() {
    assertEquals("x\\\\u000ay", LogText.of("x\\u000ay"));
  }

  @Test
  void plainTextIsUnchangedAndNullIsSpelledOut() {
    assertEquals("photos/été 2026.jpg", LogText.of("photos/été 2026.jpg"));
    assertEquals("null", LogText.of(null));
  }

  @Test
  void longTextIsCutWithACount() {
    String out = LogText.of("x".repeat(LogText.MAX_CHARS + 50));
    assertTrue(out.startsWith("x".repeat(LogText.MAX_CHARS) + "...(+50 chars)"));
  }
}
