package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SizesEdgesTest {
  @Test
  void theLargestLongIsAValidSize() {
    assertEquals(Long.MAX_VALUE, Sizes.parse("9223372036854775807"));
  }

  @Test
  void alignedFormatKeepsTheDecimalThatPlainFormatDrops() {
    assertEquals("100.0 MiB", Sizes.formatAligned(100L << 20));
    assertEquals("100 MiB", Sizes.format(100L << 20));
    assertEquals("512 B", Sizes.formatAligned(512));
  }
}
