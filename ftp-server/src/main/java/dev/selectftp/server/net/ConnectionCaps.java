package dev.selectftp.server.net;

import java.util.HashMap;
import java.util.Map;

/**
 * The connection caps, counted once for every door: a client holding its per-address share on the SelectFTP
 * port has none left on the FTP port, and the server's total is one number. Loop-thread confined.
 */
public final class ConnectionCaps {
  private final int maxConnections;
  private final int maxPerAddress;
  private final Map<String, Integer> perAddress = new HashMap<>();
  private int connections;

  public ConnectionCaps(int maxConnections, int maxPerAddress) {
    if (maxConnections < 1 || maxPerAddress < 1) throw new IllegalArgumentException("caps must be positive");
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Takes a slot for a connection from {@code address}: null when taken (give it back with
   * {@link #release}), else why not, for the refusal.
   */
  String admit(String address) {
    if (connections >= maxConnections) return "server is full";
    int fromAddress = perAddress.getOrDefault(address, 0);
    if (fromAddress >= maxPerAddress) return "too many connections from " + address;
    connections++;
    perAddress.put(address, fromAddress + 1);
    return null;
  }

  void release(String address) {
    connections--;
    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  /** Connections open now, through every door. */
  public int connections() {
    return connections;
  }
}
