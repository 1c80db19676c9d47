package dev.selectftp.server.net;

import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.Selectable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts clients, enforces the connection caps (shared by every listener of a server), and hands each socket
 * to a new {@link Connection}; a socket from a trusted proxy ({@link ProxyProtocol}) first has its PROXY
 * header read, and its client's address is the one counted, logged and handed on.
 */
public final class Listener implements Selectable {
  private static final Logger log = LoggerFactory.getLogger(Listener.class);
  /**
   * Accepts per readiness event (each registers a channel and writes a greeting, about 50-100 us), so a
   * connect storm still lets the loop serve the others; the rest are accepted on the next pass.
   */
  private static final int ACCEPTS_PER_EVENT = 32;

  private final EventLoop loop;
  private final ServerSocketChannel server;
  private final Door door;
  private final TlsSupport tls;
  private final ConnectionCaps caps;
  private final ProxyProtocol proxies;
  private boolean open = true;

  /**
   * @param caps the connection caps, shared with the server's other listeners
   * @param door the protocol spoken on this port: it makes each connection's handler and its refusals
   * @param tls how connections upgrade to TLS, or null when the server offers none
   * @param proxies which sources must begin with a PROXY header ({@link ProxyProtocol#OFF}: none)
   */
  public Listener(EventLoop loop, InetSocketAddress bind, int backlog, ConnectionCaps caps, Door door,
      TlsSupport tls, ProxyProtocol proxies) throws IOException {
    this.loop = loop;
    this.proxies = proxies;
    this.door = door;
    this.tls = tls;
    this.caps = caps;
    this.server = ServerSocketChannel.open();
    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    server.bind(bind, backlog);
  }

  public void register() throws IOException {
    loop.register(server, SelectionKey.OP_ACCEPT, this);
  }

  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) server.getLocalAddress();
  }

  @Override
  public void onReady(int readyOps) {
    // At least one accept per event, then only while this slice lasts.
    for (int i = 0; i < ACCEPTS_PER_EVENT && open && (i == 0 || !loop.sliceExpired()); i++) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        // EMFILE and friends: keep serving the connections we have.
        log.warn("accept failed: {}", e.toString());
        return;
      }
      if (client == null) return;
      admit(client);
    }
  }

  private void admit(SocketChannel client) {
    InetAddress peer;
    try {
      peer = ((InetSocketAddress) client.getRemoteAddress()).getAddress();
      client.configureBlocking(false);
      client.setOption(StandardSocketOptions.TCP_NODELAY, true);
    } catch (IOException e) {
      closeQuietly(client);
      return;
    }
    String address = peer.getHostAddress();
    if (proxies.expectsHeader(peer)) {
      proxied(client, address);
      return;
    }
    String refusal = caps.admit(address);
    if (refusal != null) {
      refuse(client, address, refusal);
      return;
    }
    open(client, address);
  }

  /**
   * A trusted proxy's connection: it counts against the server's total now and against its client's address
   * once the header names it; a connection whose header never comes counts against nobody.
   */
  private void proxied(SocketChannel client, String proxyAddress) {
    String refusal = caps.admitPending();
    if (refusal != null) {
      refuse(client, proxyAddress, refusal);
      return;
    }
    try {
      proxies.await(loop, client, proxyAddress, header -> {
        String address = header.address(proxyAddress);
        String over = caps.admitAs(address);
        if (over != null) {
          caps.releasePending();
          refuse(client, address, over);
          return;
        }
        open(client, address);
      }, caps::releasePending);
    } catch (IOException e) {
      caps.releasePending();
      log.debug("{}: not registered: {}", proxyAddress, e.toString());
    }
  }

  private void open(SocketChannel client, String address) {
    Connection connection = new Connection(loop, client, address, tls, door::open, () -> caps.release(address));
    try {
      connection.register();
    } catch (IOException e) {
      connection.close();
    }
  }

  /** The protocol's refusal, best effort, never waiting for the client to read it. */
  private void refuse(SocketChannel client, String address, String why) {
    log.info("{}: refused: {}", address, why);
    try {
      client.write(door.refusal(why));
    } catch (IOException e) {
      log.debug("{}: refusal not delivered: {}", address, e.toString());
    }
    closeQuietly(client);
  }

  private static void closeQuietly(SocketChannel client) {
    try {
      client.close();
    } catch (IOException e) {
      log.debug("close failed: {}", e.toString());
    }
  }

  /** Stops accepting; connections already open stay. Safe twice. */
  @Override
  public void close() {
    if (!open) return;
    open = false;
    try {
      server.close();
    } catch (IOException e) {
      log.debug("listener close failed: {}", e.toString());
    }
  }
}
