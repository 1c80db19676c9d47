package dev.selectftp.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void sizes() {
    assertEquals(4096, Units.parseSize("4096"));
    assertEquals(10, Units.parseSize("10B"));
    assertEquals(1 << 20, Units.parseSize("1MiB"));
    assertEquals(1 << 20, Units.parseSize("1m"));
    assertEquals(1L << 30, Units.parseSize("1GiB"));
    assertEquals(1_000_000, Units.parseSize("1MB"));
    assertEquals(64 * 1024, Units.parseSize("64kib"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseSize("lots"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseSize("-1"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseSize("99999999TiB"));
  }

  @Test
  void durations() {
    assertEquals(Duration.ofSeconds(30), Units.parseDuration("30s"));
    assertEquals(Duration.ofSeconds(30), Units.parseDuration("30"));
    assertEquals(Duration.ofMillis(500), Units.parseDuration("500ms"));
    assertEquals(Duration.ofMinutes(2), Units.parseDuration("2m"));
    assertEquals(Duration.ofHours(1), Units.parseDuration("1h"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("soon"));
  }
}
