package dev.selectftp.server.accounts;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The unit that per-address limits count: one subscriber, as far as an address tells. */
public final class ClientAddress {
  /** Bytes of an IPv6 address that one subscriber usually holds whole (a /64). */
  private static final int IPV6_PREFIX_BYTES = 8;

  private ClientAddress() {}

  /** Whether a client connects from this machine; addresses are numeric (from the socket): nothing is looked up. */
  public static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * An IPv4 address as is; an IPv6 address as its /64 prefix, e.g. {@code 2001:db8:0:1::/64}, since anyone
   * with one IPv6 address can use 2^64 of them.
   */
  public static String key(String address) {
    if (address == null || address.indexOf(':') < 0) return address;
    try {
      byte[] bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
      if (bytes.length != 16) return address;
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < IPV6_PREFIX_BYTES; i += 2) {
        out.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
      }
      return out.append(":/64").toString();
    } catch (UnknownHostException e) {
      return address;
    }
  }
}
