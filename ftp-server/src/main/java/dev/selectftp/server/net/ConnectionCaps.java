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
    String refusal = admitPending();
    if (refusal == null && (refusal = admitAs(address)) != null) releasePending();
    return refusal;
  }

  /**
   * Takes a slot for a trusted proxy's connection whose client is not known yet (its PROXY header is still
   * to come): null when taken, else why not. Then {@link #admitAs} names it, or {@link #releasePending} gives
   * it back.
   */
  String admitPending() {
    if (connections >= maxConnections) return "server is full";
    connections++;
    return null;
  }

  /**
   * Counts a connection taken by {@link #admitPending} against {@code address}, its client's: null when
   * counted (give it back with {@link #release}), else why not (give it back with {@link #releasePending}).
   */
  String admitAs(String address) {
    int fromAddress = perAddress.getOrDefault(address, 0);
    if (fromAddress >= maxPerAddress) return "too many connections from " + address;
    perAddress.put(address, fromAddress + 1);
    return null;
  }

  /** Gives back a slot of {@link #admitPending} that no address was counted for. */
  void releasePending() {
    connections--;
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
