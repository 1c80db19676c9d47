package dev.selectftp.server.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies trusted to say who their clients are ({@code --proxy-protocol-from ADDR[/BITS][,...]}): a
 * connection from one of these addresses must begin with a PROXY header, and any other connection is taken
 * as it comes, a header in it unread. Address literals only (no host names: nothing to look up, nothing to
 * spoof in DNS); an address without {@code /BITS} is that one address.
 */
public final class ProxySources {
  /** Nobody: no connection is expected to carry a header (the default). */
  public static final ProxySources NONE = new ProxySources(List.of());

  private record Block(byte[] network, int bits, String text) {
    boolean contains(byte[] address) {
      if (address.length != network.length) return false;
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) return false;
      }
      int spare = bits % 8;
      if (spare == 0) return true;
      int mask = 0xff << (8 - spare) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Block> blocks;

  private ProxySources(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /**
   * {@code ADDR[/BITS]} entries separated by commas, e.g. {@code 10.0.0.5,192.168.0.0/24,fd00::/8}.
   *
   * @throws IllegalArgumentException naming the entry that is not an address literal or whose bits are out of range
   */
  public static ProxySources parse(String text) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : text.split(",", -1)) {
      String e = entry.strip();
      int slash = e.indexOf('/');
      String host = slash < 0 ? e : e.substring(0, slash);
      InetAddress address = AddressLiterals.any(host);
      if (address == null) throw new IllegalArgumentException("\"" + e + "\" is not an IP address literal");
      int max = address.getAddress().length * 8;
      int bits = max;
      if (slash >= 0) {
        String b = e.substring(slash + 1);
        if (!b.matches("\\d{1,3}") || Integer.parseInt(b) > max) {
          throw new IllegalArgumentException("\"" + e + "\": the bits after / must be 0-" + max);
        }
        bits = Integer.parseInt(b);
      }
      blocks.add(new Block(address.getAddress(), bits, address.getHostAddress() + "/" + bits));
    }
    return new ProxySources(blocks);
  }

  /** True when a connection from {@code address} must carry a PROXY header. */
  public boolean trusts(InetAddress address) {
    byte[] a = address.getAddress();
    for (Block b : blocks) {
      if (b.contains(a)) return true;
    }
    return false;
  }

  /** True when no address is trusted (the feature is off). */
  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  @Override
  public String toString() {
    return String.join(",", blocks.stream().map(Block::text).toList());
  }
}
