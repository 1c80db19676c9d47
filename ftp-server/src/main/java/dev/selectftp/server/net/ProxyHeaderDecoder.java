package dev.selectftp.server.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one PROXY protocol header (HAProxy's spec: version 1, a text line, or version 2, binary) from bytes
 * arriving in any split, and never takes a byte past its end, so what follows is the door's, untouched:
 * {@link #room()} is only as large as the header's shortest possible rest (v2 announces its length; a v1
 * line is read up to its CRLF in steps of at most two bytes once its least length is reached).
 *
 * <p>Usage: put bytes into {@link #room()} (a read, or a test's array), then {@link #parse()}; repeat while it
 * returns null. Bounded: at most {@link #MAX_V1_BYTES} for v1 and {@link #V2_FIXED_BYTES} +
 * {@link #MAX_V2_PAYLOAD_BYTES} for v2; anything longer, or not a header, is {@link Malformed}. Not thread-safe.
 */
public final class ProxyHeaderDecoder {
  /** Longest v1 header, CRLF included (the spec's figure). */
  public static final int MAX_V1_BYTES = 107;
  /** v2's fixed part: the 12-byte signature, version and command, family, and the 2-byte length. */
  public static final int V2_FIXED_BYTES = 16;
  /**
   * Most address and TLV bytes a v2 header may announce: an AF_UNIX pair is 216, an IPv6 pair 36; the rest is
   * room for a few TLVs (HAProxy's ALPN, authority, unique id). A larger announcement is refused.
   */
  public static final int MAX_V2_PAYLOAD_BYTES = 512;
  private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
  private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
  /** The shortest header of either version ({@code PROXY UNKNOWN\r\n}): the first read takes no more. */
  private static final int MIN_HEADER_BYTES = 15;
  /** The shortest v1 lines of each family, CRLF included: a read up to them cannot pass the end. */
  private static final int MIN_TCP4_LINE = "PROXY TCP4 0.0.0.0 0.0.0.0 0 0\r\n".length();
  private static final int MIN_TCP6_LINE = "PROXY TCP6 :: :: 0 0\r\n".length();
  private static final int V2_INET_BYTES = 12;
  private static final int V2_INET6_BYTES = 36;
  private static final int MAX_PORT = 65_535;

  private ByteBuffer buffer = ByteBuffer.allocate(MAX_V1_BYTES);
  /** How many more bytes may still belong to the header. */
  private int wanted = MIN_HEADER_BYTES;

  /** Where the next bytes go: its {@code remaining()} (at least 1) is the most that may still be the header's. */
  public ByteBuffer room() {
    return buffer.limit(buffer.position() + wanted);
  }

  /**
   * Looks at the bytes put into {@link #room()} so far: the header once complete, null while more are needed.
   *
   * @throws Malformed when the bytes are not a PROXY header, or one longer than the bounds
   */
  public ProxyHeader parse() throws Malformed {
    int have = buffer.position();
    byte[] a = buffer.array();
    if (have == 0) return null;
    return a[0] == V2_SIGNATURE[0] ? parseV2(a, have) : parseV1(a, have);
  }

  private ProxyHeader parseV2(byte[] a, int have) throws Malformed {
    expectPrefix(a, have, V2_SIGNATURE);
    if (have < V2_FIXED_BYTES) {
      wanted = V2_FIXED_BYTES - have;
      return null;
    }
    int length = (a[14] & 0xff) << 8 | (a[15] & 0xff);
    if (length > MAX_V2_PAYLOAD_BYTES) {
      throw new Malformed("v2 header announces " + length + " bytes, more than " + MAX_V2_PAYLOAD_BYTES);
    }
    int total = V2_FIXED_BYTES + length;
    if (have < total) {
      if (buffer.capacity() < total) buffer = ByteBuffer.allocate(total).put(buffer.flip());
      wanted = total - have;
      return null;
    }
    wanted = 0;
    return decodeV2(a, length);
  }

  private static ProxyHeader decodeV2(byte[] a, int length) throws Malformed {
    int version = (a[12] & 0xf0) >> 4;
    int command = a[12] & 0x0f;
    if (version != 2) throw new Malformed("v2 signature with version " + version);
    if (command == 0) return new ProxyHeader(2, null); // LOCAL: the proxy's own connection (a health check)
    if (command != 1) throw new Malformed("v2 command " + command + " is neither LOCAL nor PROXY");
    int family = (a[13] & 0xf0) >> 4;
    int transport = a[13] & 0x0f;
    int addressBytes = switch (family) {
      case 1 -> V2_INET_BYTES;
      case 2 -> V2_INET6_BYTES;
      case 0, 3 -> 0; // AF_UNSPEC, AF_UNIX: no address this server can use; the proxy's is kept
      default -> throw new Malformed("v2 address family " + family);
    };
    if (addressBytes == 0) return new ProxyHeader(2, null);
    if (transport != 1) throw new Malformed("v2 transport " + transport + " is not STREAM");
    if (length < addressBytes) throw new Malformed("v2 header of " + length + " bytes is too short for its addresses");
    int ipBytes = (addressBytes - 4) / 2;
    int portAt = V2_FIXED_BYTES + 2 * ipBytes;
    try {
      InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(a, V2_FIXED_BYTES, V2_FIXED_BYTES + ipBytes));
      return new ProxyHeader(2, new InetSocketAddress(source, (a[portAt] & 0xff) << 8 | (a[portAt + 1] & 0xff)));
    } catch (UnknownHostException impossible) {
      throw new Malformed("v2 address of " + ipBytes + " bytes");
    }
  }

  private ProxyHeader parseV1(byte[] a, int have) throws Malformed {
    expectPrefix(a, have, V1_PREFIX);
    byte last = a[have - 1];
    boolean complete = last == '\n' && have >= 2 && a[have - 2] == '\r';
    int body = complete ? have - 2 : last == '\r' ? have - 1 : have;
    for (int i = 0; i < body; i++) {
      if (a[i] == '\r' || a[i] == '\n') throw new Malformed("v1 line broken by a lone CR or LF: " + text(a, have));
    }
    if (complete) {
      wanted = 0;
      return decodeV1(text(a, body));
    }
    int rest;
    if (have < MIN_HEADER_BYTES) {
      rest = MIN_HEADER_BYTES - have;
    } else {
      // Two bytes can always be taken ("\r\n" is still to come), one after a CR; more below a family's least line.
      String start = text(a, Math.min(have, 11));
      int least = start.equals("PROXY TCP4 ") ? MIN_TCP4_LINE : start.equals("PROXY TCP6 ") ? MIN_TCP6_LINE : 0;
      rest = Math.max(last == '\r' ? 1 : 2, least - have);
    }
    if (have + rest > MAX_V1_BYTES) throw new Malformed("v1 line longer than " + MAX_V1_BYTES + " bytes");
    wanted = rest;
    return null;
  }

  private static ProxyHeader decodeV1(String line) throws Malformed {
    String[] f = line.split(" ", -1);
    if (f.length >= 2 && f[1].equals("UNKNOWN")) return new ProxyHeader(1, null); // the rest is ignored (spec)
    if (f.length != 6) throw new Malformed("v1 line has " + f.length + " fields: " + line);
    InetAddress source;
    InetAddress destination;
    switch (f[1]) {
      case "TCP4" -> {
        source = AddressLiterals.ipv4(f[2]);
        destination = AddressLiterals.ipv4(f[3]);
      }
      case "TCP6" -> {
        source = AddressLiterals.ipv6(f[2]);
        destination = AddressLiterals.ipv6(f[3]);
      }
      default -> throw new Malformed("v1 protocol is not TCP4, TCP6 or UNKNOWN: " + line);
    }
    if (source == null || destination == null) throw new Malformed("v1 addresses are not " + f[1] + ": " + line);
    int sourcePort = port(f[4], line);
    port(f[5], line);
    return new ProxyHeader(1, new InetSocketAddress(source, sourcePort));
  }

  private static int port(String text, String line) throws Malformed {
    if (text.isEmpty() || text.length() > 5) throw new Malformed("v1 port is not 0-65535: " + line);
    int value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') throw new Malformed("v1 port is not 0-65535: " + line);
      value = value * 10 + (c - '0');
    }
    if (value > MAX_PORT) throw new Malformed("v1 port is not 0-65535: " + line);
    return value;
  }

  private static void expectPrefix(byte[] a, int have, byte[] prefix) throws Malformed {
    for (int i = 0; i < Math.min(have, prefix.length); i++) {
      if (a[i] != prefix[i]) throw new Malformed("not a PROXY header: " + text(a, have));
    }
  }

  /** The bytes as text for a message (one byte a char); the logger's {@code LogText} escapes what needs it. */
  private static String text(byte[] a, int length) {
    return new String(a, 0, length, StandardCharsets.ISO_8859_1);
  }

  /** The bytes are not a PROXY header this server accepts; the message says why (the caller escapes it). */
  public static final class Malformed extends IOException {
    Malformed(String why) {
      super(why, null);
    }
  }
}
