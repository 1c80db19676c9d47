package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Command lines out of raw control-connection bytes: line ends, Telnet commands, the length cap. */
class LineReaderTest {
  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer all = ByteBuffer.allocate(Math.max(1, java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum()));
    for (byte[] p : parts) all.put(p);
    return java.util.Arrays.copyOf(all.array(), all.position());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Every line the reader finds in the chunks, fed one chunk at a time. */
  private static List<String> lines(LineReader reader, byte[]... chunks) {
    List<String> out = new ArrayList<>();
    for (byte[] chunk : chunks) {
      ByteBuffer in = ByteBuffer.wrap(chunk);
      while (in.hasRemaining()) {
        LineReader.Line line = reader.next(in);
        if (line != null) out.add(line == LineReader.TOO_LONG ? "<too long>" : line.text());
      }
    }
    return out;
  }

  @Test
  void crlfBareLfAndBareCrEachEndOneLine() {
    assertEquals(List.of("NOOP", "PWD", "SYST", "FEAT"), lines(new LineReader(), ascii("NOOP\r\nPWD\nSYST\rFEAT\r\n")));
  }

  @Test
  void ftplibsUrgentAborArrivesWithoutItsLfAndIsALineAtOnce() {
    LineReader reader = new LineReader();
    // Linux takes the urgent byte (the LF of "ABOR\r\n" sent with MSG_OOB) out of the stream.
    assertEquals(List.of("ABOR"), lines(reader, ascii("ABOR\r")));
    assertFalse(reader.midLine());
    assertEquals(List.of("NOOP"), lines(reader, ascii("NOOP\r\n")));
  }

  @Test
  void anLfArrivingInTheNextReadAfterItsCrEndsNoSecondLine() {
    assertEquals(List.of("PWD", "NOOP"), lines(new LineReader(), ascii("PWD\r"), ascii("\nNOOP\r"), ascii("\n")));
  }

  @Test
  void telnetInterruptAndSynchBeforeAborAreTakenOut() {
    // RFC 959's abort: IAC IP, IAC DM (the synch), then ABOR.
    assertEquals(List.of("ABOR"), lines(new LineReader(), concat(bytes(0xFF, 0xF4, 0xFF, 0xF2), ascii("ABOR\r\n"))));
  }

  @Test
  void anIacWhoseCommandByteWentOutOfBandDropsOnlyItself() {
    // The DM was sent urgent and taken out of the stream: IAC IP IAC, then "ABOR".
    assertEquals(List.of("ABOR"), lines(new LineReader(), concat(bytes(0xFF, 0xF4, 0xFF), ascii("ABOR\r\n"))));
  }

  @Test
  void telnetOptionNegotiationIsSkippedAndADoubledIacIsOneByte() {
    List<String> got = lines(new LineReader(), concat(ascii("NO"), bytes(0xFF, 0xFD, 0x01), ascii("OP\r\n")),
        concat(ascii("X"), bytes(0xFF, 0xFF), ascii("\r\n")));
    // One 0xFF byte remains; alone it is no UTF-8, so it reads as the replacement character.
    assertEquals(List.of("NOOP", "X\uFFFD"), got);
  }

  @Test
  void aSequenceSplitAcrossReadsIsStillTakenOut() {
    LineReader reader = new LineReader();
    assertNull(reader.next(ByteBuffer.wrap(bytes(0xFF))));
    assertEquals(List.of("ABOR"), lines(reader, concat(bytes(0xF4), ascii("ABOR\r\n"))));
  }

  @Test
  void aLineOverTheCapIsReportedOnceAndTheNextIsRead() {
    byte[] longLine = new byte[LineReader.MAX_LINE_BYTES + 10];
    java.util.Arrays.fill(longLine, (byte) 'a');
    LineReader reader = new LineReader();
    List<String> got = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(concat(longLine, ascii("\r\nNOOP\r\n")));
    while (in.hasRemaining()) {
      LineReader.Line line = reader.next(in);
      if (line == LineReader.TOO_LONG) got.add("<too long>");
      else if (line != null) got.add(line.text());
    }
    assertEquals(List.of("<too long>", "NOOP"), got);
  }
}
