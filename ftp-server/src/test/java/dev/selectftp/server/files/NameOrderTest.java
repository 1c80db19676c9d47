package dev.selectftp.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The listing order is the byte order of the names' UTF-8, which any client can reproduce. */
class NameOrderTest {
  private static final int[] SAMPLE_CODE_POINTS = {'A', 'a', '"', 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFF5E,
      0xFFFD, 0x10000, 0x1F600, 0x10FFFF};

  @Test
  void agreesWithTheUnsignedByteOrderOfUtf8OnRandomNames() {
    Random random = new Random(9);
    for (int i = 0; i < 50_000; i++) {
      String a = randomName(random);
      String b = randomName(random);
      int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
          b.getBytes(StandardCharsets.UTF_8)));
      assertEquals(expected, Integer.signum(NameOrder.compare(a, b)), () -> a + " vs " + b);
    }
  }

  private static String randomName(Random random) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(4);
    for (int i = 0; i < length; i++) s.appendCodePoint(SAMPLE_CODE_POINTS[random.nextInt(SAMPLE_CODE_POINTS.length)]);
    return s.toString();
  }
}
