package dev.selectftp.client.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanSizeTest {
  @Test
  void smallSizesAreWholeBytes() {
    assertEquals("0 B", HumanSize.bytes(0));
    assertEquals("1023 B", HumanSize.bytes(1023));
  }

  @Test
  void largerSizesUseBinaryUnitsWithOneDecimal() {
    assertEquals("1.0 KiB", HumanSize.bytes(1024));
    assertEquals("1.5 MiB", HumanSize.bytes(3 * 512 * 1024));
    assertEquals("1.0 GiB", HumanSize.bytes(1L << 30));
    assertEquals("8.0 EiB", HumanSize.bytes(Long.MAX_VALUE));
  }

  @Test
  void clockShowsMinutesAndSecondsThenHours() {
    assertEquals("0:02", HumanSize.clock(Duration.ofSeconds(2)));
    assertEquals("12:05", HumanSize.clock(Duration.ofSeconds(725)));
    assertEquals("1:00:01", HumanSize.clock(Duration.ofSeconds(3601)));
  }
}
