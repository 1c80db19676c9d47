package dev.selectftp.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The PROXY header codec without sockets, Netty style: byte arrays fed whole, at every split point and one
 * byte at a time, with what follows the header never taken.
 */
class ProxyHeaderDecoderTest {
  private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
  private static final byte[] AFTER = "USER bob\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Result of feeding: the header, and how many bytes of the input the decoder took. */
  private record Fed(ProxyHeader header, int taken) {}

  /**
   * Feeds {@code input} in pieces cut at {@code cuts}, each piece offered only as far as {@link
   * ProxyHeaderDecoder#room()} allows, as a socket read would; stops once the header is complete.
   */
  private static Fed feed(byte[] input, int... cuts) throws ProxyHeaderDecoder.Malformed {
    ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
    int at = 0;
    int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
    ends[cuts.length] = input.length;
    for (int end : ends) {
      while (at < end) {
        ByteBuffer room = decoder.room();
        assertTrue(room.remaining() > 0, "the decoder always wants at least one byte");
        int n = Math.min(room.remaining(), end - at);
        room.put(input, at, n);
        at += n;
        ProxyHeader header = decoder.parse();
        if (header != null) return new Fed(header, at);
      }
    }
    return new Fed(null, at);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] v2(int versionCommand, int family, byte[] payload) {
    byte[] fixed = Arrays.copyOf(SIGNATURE, 16);
    fixed[12] = (byte) versionCommand;
    fixed[13] = (byte) family;
    fixed[14] = (byte) (payload.length >> 8);
    fixed[15] = (byte) payload.length;
    return concat(fixed, payload);
  }

  private static byte[] inet4Payload(String source, int sourcePort, String destination, int destinationPort)
      throws Exception {
    return ByteBuffer.allocate(12).put(InetAddress.getByName(source).getAddress())
        .put(InetAddress.getByName(destination).getAddress()).putShort((short) sourcePort)
        .putShort((short) destinationPort).array();
  }

  /** The header at every split point, and one byte at a time: same result, and not one byte after it taken. */
  private static void assertEverySplit(byte[] header, InetSocketAddress expected, int version) throws Exception {
    byte[] input = concat(header, AFTER);
    for (int cut = 0; cut <= input.length; cut++) {
      Fed fed = feed(input, cut);
      assertEquals(new ProxyHeader(version, expected), fed.header(), "cut at " + cut);
      assertEquals(header.length, fed.taken(), "bytes taken, cut at " + cut);
    }
    int[] everyByte = new int[input.length];
    for (int i = 0; i < everyByte.length; i++) everyByte[i] = i + 1;
    Fed fed = feed(input, everyByte);
    assertEquals(new ProxyHeader(version, expected), fed.header());
    assertEquals(header.length, fed.taken());
  }

  @Test
  void v1Tcp4NamesTheClientAtEverySplitAndTakesNothingAfterIt() throws Exception {
    assertEverySplit(ascii("PROXY TCP4 127.0.0.5 127.0.0.1 43210 2121\r\n"),
        new InetSocketAddress(InetAddress.getByName("127.0.0.5"), 43210), 1);
  }

  @Test
  void v1Tcp6NamesTheClientAtEverySplit() throws Exception {
    assertEverySplit(ascii("PROXY TCP6 2001:db8::7 ::1 65535 21\r\n"),
        new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 65535), 1);
  }

  @Test
  void v1ShortestTcp6LineIsReadWithoutOvershooting() throws Exception {
    assertEverySplit(ascii("PROXY TCP6 :: :: 0 0\r\n"), new InetSocketAddress(InetAddress.getByName("::"), 0), 1);
  }

  @Test
  void v1LongestLinesAreAcceptedAndOneByteMoreIsNot() throws Exception {
    String max = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
    assertEverySplit(ascii("PROXY TCP6 " + max + " " + max + " 65535 65535\r\n"),
        new InetSocketAddress(InetAddress.getByName(max), 65535), 1);
    byte[] longest = ascii("PROXY UNKNOWN " + max + " " + max + " 65535 65535\r\n"); // the spec's worst case
    assertEquals(ProxyHeaderDecoder.MAX_V1_BYTES, longest.length);
    assertEverySplit(longest, null, 1);
    byte[] tooLong = ascii("PROXY UNKNOWN " + max + " " + max + " 65535 655350\r\n");
    ProxyHeaderDecoder.Malformed e = assertThrows(ProxyHeaderDecoder.Malformed.class, () -> feed(tooLong));
    assertTrue(e.getMessage().contains("107"), e.getMessage());
  }

  @Test
  void v1UnknownKeepsTheProxysAddressWhateverFollowsIt() throws Exception {
    assertEverySplit(ascii("PROXY UNKNOWN\r\n"), null, 1);
    assertEverySplit(ascii("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"), null, 1);
    assertEquals("10.0.0.1", new ProxyHeader(1, null).address("10.0.0.1"));
  }

  @Test
  void v2Inet4NamesTheClientAtEverySplit() throws Exception {
    assertEverySplit(v2(0x21, 0x11, inet4Payload("127.0.0.6", 50000, "127.0.0.1", 2122)),
        new InetSocketAddress(InetAddress.getByName("127.0.0.6"), 50000), 2);
  }

  @Test
  void v2Inet6WithTlvsNamesTheClientAtEverySplit() throws Exception {
    byte[] addresses = ByteBuffer.allocate(36).put(InetAddress.getByName("2001:db8::9").getAddress())
        .put(InetAddress.getByName("::1").getAddress()).putShort((short) 40000).putShort((short) 21).array();
    byte[] tlv = {0x01, 0x00, 0x02, 'h', '2'}; // PP2_TYPE_ALPN "h2": read past, not used
    assertEverySplit(v2(0x21, 0x21, concat(addresses, tlv)),
        new InetSocketAddress(InetAddress.getByName("2001:db8::9"), 40000), 2);
  }

  @Test
  void v2LocalAndUnspecAndUnixKeepTheProxysAddress() throws Exception {
    assertEverySplit(v2(0x20, 0x00, new byte[0]), null, 2); // LOCAL: HAProxy's health check
    assertEverySplit(v2(0x20, 0x11, inet4Payload("1.2.3.4", 1, "5.6.7.8", 2)), null, 2); // LOCAL ignores addresses
    assertEverySplit(v2(0x21, 0x00, new byte[0]), null, 2);
    assertEverySplit(v2(0x21, 0x31, new byte[216]), null, 2);
  }

  @Test
  void v2LongerThanTheBoundIsRefusedBeforeItsBodyIsRead() throws Exception {
    byte[] header = v2(0x21, 0x11, new byte[ProxyHeaderDecoder.MAX_V2_PAYLOAD_BYTES + 1]);
    ProxyHeaderDecoder.Malformed e = assertThrows(ProxyHeaderDecoder.Malformed.class,
        () -> feed(Arrays.copyOf(header, ProxyHeaderDecoder.V2_FIXED_BYTES)));
    assertTrue(e.getMessage().contains("513"), e.getMessage());
    assertEquals(ProxyHeaderDecoder.V2_FIXED_BYTES + ProxyHeaderDecoder.MAX_V2_PAYLOAD_BYTES,
        feed(v2(0x21, 0x11, concat(inet4Payload("1.2.3.4", 1, "5.6.7.8", 2),
            new byte[ProxyHeaderDecoder.MAX_V2_PAYLOAD_BYTES - 12]))).taken());
  }

  @Test
  void v1WithoutCrlfWithin107BytesIsRefused() {
    byte[] endless = new byte[200];
    Arrays.fill(endless, (byte) '1');
    System.arraycopy(ascii("PROXY TCP4 "), 0, endless, 0, 11);
    ProxyHeaderDecoder.Malformed e = assertThrows(ProxyHeaderDecoder.Malformed.class, () -> feed(endless));
    assertTrue(e.getMessage().contains("107"), e.getMessage());
  }

  @Test
  void somethingElseThanAHeaderIsRefusedAtItsFirstWrongByte() throws Exception {
    assertThrows(ProxyHeaderDecoder.Malformed.class, () -> feed(ascii("USER bob\r\n"), 1, 2, 3));
    // A plain client sending one byte: refused at once, not after the deadline.
    ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
    decoder.room().put((byte) 'G');
    assertThrows(ProxyHeaderDecoder.Malformed.class, decoder::parse);
    assertNull(feed(ascii("PROX")).header(), "a prefix of a header is not refused");
  }

  @Test
  void malformedLinesAreRefused() {
    for (String bad : new String[] {
        "PROXY TCP4 127.0.0.5 127.0.0.1 43210\r\n", // a field missing
        "PROXY TCP4 127.0.0.5 127.0.0.1 43210 2121 x\r\n", // one too many
        "PROXY TCP4 127.0.0.5  127.0.0.1 43210 2121\r\n", // two spaces
        "PROXY TCP4 127.0.0.256 127.0.0.1 43210 2121\r\n", // not an address
        "PROXY TCP4 127.000.0.5 127.0.0.1 43210 2121\r\n", // a leading zero (octal?)
        "PROXY TCP4 example.org 127.0.0.1 43210 2121\r\n", // a name: never looked up
        "PROXY TCP4 ::1 127.0.0.1 43210 2121\r\n", // IPv6 under TCP4
        "PROXY TCP6 127.0.0.5 ::1 43210 2121\r\n", // IPv4 under TCP6
        "PROXY TCP4 127.0.0.5 127.0.0.1 65536 2121\r\n", // port out of range
        "PROXY TCP4 127.0.0.5 127.0.0.1 -1 2121\r\n",
        "PROXY UDP4 127.0.0.5 127.0.0.1 43210 2121\r\n",
        "PROXY TCP4 127.0.0.5 127.0.0.1 43210 2121\n", // LF without CR
        "PROXY TCP4 127.0.0.5\r127.0.0.1 43210 2121\r\n", // CR inside
        "proxy TCP4 127.0.0.5 127.0.0.1 43210 2121\r\n"}) {
      assertThrows(ProxyHeaderDecoder.Malformed.class, () -> feed(ascii(bad)), bad);
    }
  }

  @Test
  void malformedV2IsRefused() throws Exception {
    byte[] inet = inet4Payload("1.2.3.4", 1, "5.6.7.8", 2);
    assertThrows(ProxyHeaderDecoder.Malformed.class, () -> feed(v2(0x11, 0x11, inet))); // version 1 bits
    assertThrows(ProxyHeaderDecoder.Malformed.class, () -> feed(v2(0x22, 0x11, inet))); // command 2
    assertThrows(ProxyHeaderDecoder.Malformed.class, () -> feed(v2(0x21, 0x12, inet))); // DGRAM
    assertThrows(ProxyHeaderDecoder.Malformed.class, () -> feed(v2(0x21, 0x41, inet))); // family 4
    assertThrows(ProxyHeaderDecoder.Malformed.class, () -> feed(v2(0x21, 0x21, inet))); // 12 bytes for INET6
    byte[] badSignature = v2(0x21, 0x11, inet);
    badSignature[7] = 'X';
    assertThrows(ProxyHeaderDecoder.Malformed.class, () -> feed(badSignature));
  }
}
