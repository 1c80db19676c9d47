package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.net.ProxyProtocol;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * Where passive data connections listen and what PASV tells the client: a port from the configured
 * {@link PassivePorts} (tried from a rotating index, skipping ports in use), on the control connection's
 * local address, advertised as that address or, behind NAT, as the configured public address. Each bind
 * attempt is one non-blocking syscall; at most {@link #MAX_BIND_ATTEMPTS} per PASV keep a busy range from
 * holding the loop. Loop-thread confined (the rotating index is not synchronized).
 */
public final class PassiveListeners {
  /**
   * Bind attempts per PASV/EPSV: each costs a few microseconds, so even a full range costs well under a
   * millisecond of the loop. A larger range whose next 64 ports are all busy gets a 425 now and its next
   * 64 ports tried on the next PASV.
   */
  static final int MAX_BIND_ATTEMPTS = 64;
  /** A passive listener takes exactly one connection: a backlog of one holds it. */
  private static final int BACKLOG = 1;

  private final PassivePorts ports;
  private final InetAddress publicAddress;
  /** Whose data connections begin with a PROXY header (the balancer's passive frontends may send one). */
  private final ProxyProtocol proxies;
  /** Offset into {@link #ports} of the next port to try. */
  private int next;

  /**
   * @param ports the range to listen on, or {@link PassivePorts#ANY}
   * @param publicAddress the IPv4 address PASV advertises (NAT), or null for the control connection's own
   */
  public PassiveListeners(PassivePorts ports, InetAddress publicAddress) {
    this(ports, publicAddress, ProxyProtocol.OFF);
  }

  /** Like {@link #PassiveListeners(PassivePorts, InetAddress)}, with the sources that send PROXY headers. */
  public PassiveListeners(PassivePorts ports, InetAddress publicAddress, ProxyProtocol proxies) {
    if (publicAddress != null && !(publicAddress instanceof Inet4Address)) {
      throw new IllegalArgumentException("PASV can only advertise an IPv4 address, not " + publicAddress);
    }
    this.ports = ports;
    this.publicAddress = publicAddress;
    this.proxies = proxies;
  }

  /** Which data connections begin with a PROXY header, and how long it may take. */
  ProxyProtocol proxies() {
    return proxies;
  }

  /** Any free port, advertised as the control connection's address: the default. */
  public static PassiveListeners anyPort() {
    return new PassiveListeners(PassivePorts.ANY, null);
  }

  /**
   * A listening socket (blocking mode as opened; the caller makes it non-blocking) on {@code local}, on a
   * free port of the range.
   *
   * @throws NoFreePort when the ports tried are all in use
   * @throws IOException when the socket cannot be opened at all (no file descriptors left)
   */
  ServerSocketChannel open(InetAddress local) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      // A port whose last data connection sits in TIME_WAIT can listen again; two listeners on one port cannot.
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      if (ports.any()) {
        server.bind(new InetSocketAddress(local, 0), BACKLOG);
        return server;
      }
      int attempts = Math.min(ports.size(), MAX_BIND_ATTEMPTS);
      for (int i = 0; i < attempts; i++) {
        int port = ports.first() + next;
        next = (next + 1) % ports.size();
        try {
          server.bind(new InetSocketAddress(local, port), BACKLOG);
          return server;
        } catch (BindException inUse) {
          // Linux leaves a socket whose bind failed unbound: the next port is tried on the same socket.
        }
      }
      throw new NoFreePort(attempts, ports);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * The IPv4 address PASV's 227 reply names for a listener on {@code local}: the public address when set,
   * else {@code local} itself (under a wildcard bind, the address the client reached); null when there is
   * none (an IPv6 control connection without a public address: only EPSV can describe it).
   */
  InetAddress advertised(InetAddress local) {
    if (publicAddress != null) return publicAddress;
    return local instanceof Inet4Address && !local.isAnyLocalAddress() ? local : null;
  }

  /** Every port tried was in use. */
  static final class NoFreePort extends IOException {
    NoFreePort(int tried, PassivePorts ports) {
      super("no free passive port (" + tried + " of " + ports + " tried)", null);
    }
  }
}
