package dev.selectftp.common;

/**
 * Where a server listens and a client connects when told nothing else: loopback, so a fresh server is not
 * reachable from the network until the operator says so, on a port above 1024, so no root is needed.
 * Constants, so picocli annotations of both sides can name them.
 */
public final class DefaultAddress {
  /** The server's default bind address and the client's default server. */
  public static final String HOST = "127.0.0.1";
  /** The server's default port and the client's. */
  public static final int PORT = 2121;

  private DefaultAddress() {}
}
