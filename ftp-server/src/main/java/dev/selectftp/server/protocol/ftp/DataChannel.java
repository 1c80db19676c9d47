package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.Selectable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One passive data connection (PASV/EPSV): a listening socket on the loop that takes exactly one connection,
 * and only from the control connection's address (a connection from elsewhere is closed: port theft, RFC
 * 2577), then moves one {@link DataTransfer}'s bytes in slices and reports the end to its {@link Owner}.
 * Loop-thread confined.
 */
final class DataChannel implements Selectable {
  private static final Logger log = LoggerFactory.getLogger(DataChannel.class);

  /** What the control connection hears from its data connection. */
  interface Owner {
    /** Every byte went out, or the client closed its side of an upload; the socket is closed. */
    void finished(DataTransfer transfer);

    /** The data connection failed or never came; the socket is closed. */
    void failed(DataTransfer transfer, String why);
  }

  /** How long a client has to connect after PASV/EPSV; then the offer is withdrawn. */
  private static final long CONNECT_TIMEOUT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

  private final EventLoop loop;
  private final ServerSocketChannel server;
  private final String controlAddress;
  /** Called per slice moved: the control connection is not idle while its data connection works. */
  private final Runnable activity;
  private SocketChannel socket;
  private SelectionKey key;
  private DataTransfer transfer;
  private Owner owner;
  private boolean closed;

  private DataChannel(EventLoop loop, ServerSocketChannel server, String controlAddress, Runnable activity) {
    this.loop = loop;
    this.activity = activity;
    this.server = server;
    this.controlAddress = controlAddress;
  }

  /** Listens on {@code address}, any free port, for one connection from {@code controlAddress}. */
  static DataChannel listen(EventLoop loop, InetAddress address, String controlAddress, Runnable activity)
      throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.bind(new InetSocketAddress(address, 0), 1);
      server.configureBlocking(false);
      DataChannel data = new DataChannel(loop, server, controlAddress, activity);
      data.key = loop.register(server, SelectionKey.OP_ACCEPT, data);
      loop.schedule(CONNECT_TIMEOUT_NANOS, () -> {
        if (data.socket == null && !data.closed) data.fail("no data connection within 30 s");
      });
      return data;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  int port() throws IOException {
    return ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  /** Starts {@code work} once the client connected (at once if it already has). */
  void start(DataTransfer work, Owner whenDone) {
    this.transfer = work;
    this.owner = whenDone;
    if (socket != null) interest();
  }

  @Override
  public void onReady(int readyOps) {
    if (closed) return;
    try {
      if (socket == null) {
        accept();
      } else {
        pump();
      }
    } catch (IOException e) {
      fail("data connection failed: " + e.getMessage());
    }
  }

  private void accept() throws IOException {
    SocketChannel client = server.accept();
    if (client == null) return;
    String from = ((InetSocketAddress) client.getRemoteAddress()).getAddress().getHostAddress();
    if (!from.equals(controlAddress)) {
      log.warn("{}: data connection from {} refused (not the control connection's address)", controlAddress, from);
      client.close();
      return;
    }
    key.cancel();
    server.close();
    client.configureBlocking(false);
    socket = client;
    key = loop.register(socket, 0, this);
    if (transfer != null) interest();
  }

  private void interest() {
    key.interestOps(transfer instanceof DataTransfer.Receive ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
  }

  /** One slice per readiness event, so one transfer never holds the loop. */
  private void pump() throws IOException {
    activity.run();
    boolean more;
    if (transfer instanceof DataTransfer.Listing listing) {
      more = listing.stream().send(new SocketSink(socket));
      if (more && listing.stream().waiting()) {
        key.interestOps(0); // until resume(): the next page is being read
        return;
      }
    } else if (transfer instanceof DataTransfer.Send send) {
      more = send.download().send(new SocketSink(socket), loop.scratch());
    } else if (transfer instanceof DataTransfer.Receive receive) {
      ByteBuffer buf = loop.scratch();
      buf.clear();
      int n = socket.read(buf);
      if (n > 0) {
        buf.flip();
        receive.upload().receive(buf);
      }
      more = n >= 0;
    } else {
      return;
    }
    if (!more) {
      DataTransfer done = transfer;
      close();
      owner.finished(done);
    }
  }

  private void fail(String why) {
    DataTransfer lost = transfer;
    close();
    if (owner != null) owner.failed(lost, why);
  }

  /** Sends again after a listing's next page arrived (see {@link ListingStream#waiting()}). */
  void resume() {
    if (!closed && socket != null && transfer != null) interest();
  }

  /** Closes without reporting, returning the transfer it carried (null if none) for the caller to release. */
  DataTransfer abandon() {
    DataTransfer held = transfer;
    close();
    return held;
  }

  /** Closes the listening socket or the data connection; reports nothing. Safe twice. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    if (key != null) key.cancel();
    try {
      server.close();
      if (socket != null) socket.close();
    } catch (IOException e) {
      log.debug("data connection close failed: {}", e.toString());
    }
  }
}
