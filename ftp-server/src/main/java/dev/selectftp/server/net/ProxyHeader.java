package dev.selectftp.server.net;

import java.net.InetSocketAddress;

/**
 * A PROXY protocol header as read ({@link ProxyHeaderDecoder}): the client the proxy relays, or none for a
 * connection the proxy made on its own behalf (v1 {@code PROXY UNKNOWN}, v2 {@code LOCAL}: its health checks)
 * or whose addresses this server cannot use (v2 AF_UNSPEC, AF_UNIX), which keeps the proxy's own address as
 * the spec asks.
 *
 * @param version 1 (text) or 2 (binary)
 * @param source the relayed client's address and port, or null
 */
public record ProxyHeader(int version, InetSocketAddress source) {
  /** The connection's address from now on: the relayed client's, or the proxy's own when none was relayed. */
  public String address(String proxyAddress) {
    return source == null ? proxyAddress : source.getAddress().getHostAddress();
  }
}
