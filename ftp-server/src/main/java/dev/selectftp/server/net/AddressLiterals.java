package dev.selectftp.server.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals read strictly, never looked up: a PROXY header's addresses and the trusted proxies of
 * {@code --proxy-protocol-from}. {@link InetAddress#getByName} alone would send a name that is not a literal
 * to DNS (from the loop thread), and reads IPv4 forms such as {@code 10.1} or {@code 010.0.0.1} that no proxy
 * writes.
 */
final class AddressLiterals {
  /** Longest IPv6 text with an embedded IPv4 part ({@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}). */
  private static final int MAX_IPV6_CHARS = 45;

  private AddressLiterals() {}

  /** Four decimal parts 0-255 without leading zeros, or null. */
  static Inet4Address ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return null;
      int value = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') return null;
        value = value * 10 + (c - '0');
      }
      if (value > 255) return null;
      bytes[i] = (byte) value;
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      return null;
    }
  }

  /**
   * An IPv6 literal (hex digits, colons, an optional trailing IPv4 part; no zone), or null. An IPv4-mapped
   * one comes back as its {@link Inet4Address}, as Java gives it for a socket's peer.
   */
  static InetAddress ipv6(String text) {
    if (text.isEmpty() || text.length() > MAX_IPV6_CHARS || text.indexOf(':') < 0) return null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.digit(c, 16) < 0 && c != ':' && c != '.') return null;
    }
    try {
      // Only hex digits, colons and dots, with a colon: Java parses this as a literal and never asks DNS.
      InetAddress a = InetAddress.getByName(text);
      return a instanceof Inet6Address || a instanceof Inet4Address ? a : null;
    } catch (UnknownHostException malformed) {
      return null;
    }
  }

  /** Either family's literal, or null. */
  static InetAddress any(String text) {
    InetAddress v4 = ipv4(text);
    return v4 != null ? v4 : ipv6(text);
  }
}
