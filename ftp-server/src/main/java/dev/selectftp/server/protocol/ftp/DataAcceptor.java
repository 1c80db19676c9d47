package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.Selectable;
import dev.selectftp.server.net.ProxyProtocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side of one passive data connection (PASV/EPSV): a socket on the loop that takes exactly one
 * connection, and only from the control connection's address. A connection from elsewhere is closed (port
 * theft, RFC 2577); from a trusted proxy, the client its PROXY header names counts ({@link ProxyProtocol}),
 * and no other connection is accepted while that header is awaited. Once it took its connection, or was
 * closed, the listening socket is closed. Loop-thread confined.
 */
final class DataAcceptor implements Selectable {
  private static final Logger log = LoggerFactory.getLogger(DataAcceptor.class);

  /** Takes the one connection accepted (non-blocking, not registered); a failure there fails the data connection. */
  interface Arrival {
    void connected(SocketChannel client) throws IOException;
  }

  private final EventLoop loop;
  private final ServerSocketChannel server;
  private final ProxyProtocol proxies;
  private final String controlAddress;
  private final Arrival arrival;
  private final Consumer<DataFailure> failed;
  private SelectionKey key;
  private boolean closed;

  private DataAcceptor(EventLoop loop, ServerSocketChannel server, ProxyProtocol proxies, String controlAddress,
      Arrival arrival, Consumer<DataFailure> failed) {
    this.loop = loop;
    this.server = server;
    this.proxies = proxies;
    this.controlAddress = controlAddress;
    this.arrival = arrival;
    this.failed = failed;
  }

  /**
   * Listens on {@code server} (bound by {@link PassiveListeners#open}; taken over, closed on failure) for one
   * connection from {@code controlAddress}; from a source in {@code proxies}, that of its PROXY header. The
   * connection goes to {@code arrival}; a failure accepting it to {@code failed}.
   */
  static DataAcceptor listen(EventLoop loop, ServerSocketChannel server, ProxyProtocol proxies,
      String controlAddress, Arrival arrival, Consumer<DataFailure> failed) throws IOException {
    try {
      server.configureBlocking(false);
      DataAcceptor acceptor = new DataAcceptor(loop, server, proxies, controlAddress, arrival, failed);
      acceptor.key = loop.register(server, SelectionKey.OP_ACCEPT, acceptor);
      return acceptor;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  int port() throws IOException {
    return ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  @Override
  public void onReady(int readyOps) {
    if (closed) return;
    try {
      accept();
    } catch (IOException e) {
      failed.accept(DataFailure.lost("data connection failed: " + e.getMessage()));
    }
  }

  private void accept() throws IOException {
    SocketChannel client = server.accept();
    if (client == null) return;
    InetAddress peer = ((InetSocketAddress) client.getRemoteAddress()).getAddress();
    if (!proxies.expectsHeader(peer)) {
      adopt(client, peer.getHostAddress());
      return;
    }
    // A trusted proxy: its header says whose connection this is. No other is accepted meanwhile.
    key.interestOps(0);
    String proxy = peer.getHostAddress();
    proxies.await(loop, client, proxy, header -> {
      try {
        adopt(client, header.address(proxy));
        if (!closed) key.interestOps(SelectionKey.OP_ACCEPT);
      } catch (IOException e) {
        failed.accept(DataFailure.lost("data connection failed: " + e.getMessage()));
      }
    }, () -> {
      if (!closed) key.interestOps(SelectionKey.OP_ACCEPT);
    });
  }

  /** The data connection from {@code from}: taken when that is the control connection's client, else closed. */
  private void adopt(SocketChannel client, String from) throws IOException {
    if (closed || !from.equals(controlAddress)) {
      if (!closed) {
        log.warn("{}: data connection from {} refused (not the control connection's address)", controlAddress, from);
      }
      client.close();
      return;
    }
    close();
    client.configureBlocking(false);
    arrival.connected(client);
  }

  /** Stops listening (the connection it took, if any, is the data channel's now); safe twice. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    key.cancel();
    try {
      server.close();
    } catch (IOException e) {
      log.debug("passive listener close failed: {}", e.toString());
    }
  }
}
