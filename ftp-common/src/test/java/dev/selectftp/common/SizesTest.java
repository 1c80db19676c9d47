package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({
    "1024, 1024", "0, 0", "512k, 524288", "512K, 524288", "8MiB, 8388608", "8m, 8388608",
    "4GiB, 4294967296", "'4 GiB', 4294967296", "10MB, 10000000", "10KB, 10000", "1GB, 1000000000",
    "1TiB, 1099511627776", "1.5GiB, 1610612736", "' 7 B ', 7",
  })
  void parsesBinaryAndDecimalUnits(String text, long expected) {
    assertEquals(expected, Sizes.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MiB", "-1", "12 parsecs", "1.2.3", "9999999999999999999", "8EiB", "1e6"})
  void refusesWhatIsNotASizeWithAClearMessage(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
    assertTrue(e.getMessage().contains(text.strip()) || e.getMessage().contains("size"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} bytes = {1}")
  @CsvSource({
    "0, 0 B", "512, 512 B", "1023, 1023 B", "1024, 1 KiB", "1536, 1.5 KiB", "1258291, 1.2 MiB",
    "104857600, 100 MiB", "1073741824, 1 GiB", "1048575, 1 MiB", "-2048, -2 KiB",
  })
  void formatsWithOneDecimalInBinaryUnits(long bytes, String expected) {
    assertEquals(expected, Sizes.format(bytes));
  }

  @Test
  void formatsTheLargestLongWithoutOverflowing() {
    assertEquals("8 EiB", Sizes.format(Long.MAX_VALUE));
  }
}
