package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.Selectable;
import dev.selectftp.server.net.ProxyProtocol;
import dev.selectftp.server.net.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One passive data connection (PASV/EPSV): its {@link DataAcceptor} takes exactly one connection, only from
 * the control connection's client; then it moves one {@link DataTransfer}'s bytes over a {@link Transport},
 * one {@link DataSlice} per readiness event, pausing while the store is behind ({@link StorePause}), and
 * reports the end to its {@link Owner}.
 *
 * <p>Under PROT P the transport is TLS with an engine of the control connection's family, made on a helper
 * thread once both the connection and the transfer are there; the handshake's steps run on helper threads
 * too. That engine can only resume the control connection's session, so a client that does not reuse it
 * fails the handshake and the transfer gets 522. The last bytes are flushed before the close, and the close
 * sends close_notify. An upload whose input ends without close_notify is reported as truncated, not finished.
 * Loop-thread confined.
 */
final class DataChannel implements Selectable {
  private static final Logger log = LoggerFactory.getLogger(DataChannel.class);
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  /** What the control connection hears from its data connection. */
  interface Owner {
    /** Every byte went out, or the client closed its side of an upload; the socket is closed. */
    void finished(DataTransfer transfer);

    /** The data connection failed or never came; the socket is closed. */
    void failed(DataTransfer transfer, DataFailure failure);
  }

  /** How long a client has to connect after PASV/EPSV; then the offer is withdrawn. */
  private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final EventLoop loop;
  private final String controlAddress;
  /** Called per slice moved: the control connection is not idle while its data connection works. */
  private final Runnable activity;
  /** Nothing moves while the store is behind the transfer. */
  private final StorePause pause;
  private DataAcceptor acceptor;
  private DataProtection protection = DataProtection.CLEAR;
  private SocketChannel socket;
  private SelectionKey key;
  /** Null until both the connection and the transfer are there (and, over TLS, the engine). */
  private Transport transport;
  private boolean engineRequested;
  private DataTransfer transfer;
  private Owner owner;
  /** Every byte was handed to the transport; what it still holds (encrypted records) goes out, then the close. */
  private boolean draining;
  private boolean closed;

  private DataChannel(EventLoop loop, String controlAddress, Runnable activity) {
    this.loop = loop;
    this.activity = activity;
    this.controlAddress = controlAddress;
    this.pause = new StorePause(loop::post, this::readOn);
  }

  /**
   * Listens on {@code server} (bound by {@link PassiveListeners#open}; taken over, closed on failure) for one
   * connection from {@code controlAddress}; from a source in {@code proxies}, that of its PROXY header.
   */
  static DataChannel listen(EventLoop loop, ServerSocketChannel server, ProxyProtocol proxies, String controlAddress,
      Runnable activity) throws IOException {
    DataChannel data = new DataChannel(loop, controlAddress, activity);
    data.acceptor = DataAcceptor.listen(loop, server, proxies, controlAddress, data::connected, data::fail);
    loop.schedule(CONNECT_TIMEOUT_NANOS, () -> {
      if (data.socket == null && !data.closed) data.fail(DataFailure.neverCame("no data connection within 30 s"));
    });
    return data;
  }

  int port() throws IOException {
    return acceptor.port();
  }

  /** PROT C or P for the transfer this connection will carry; before {@link #start}. */
  void protect(DataProtection how) {
    this.protection = how;
  }

  /** Starts {@code work} once the client connected (at once if it already has). */
  void start(DataTransfer work, Owner whenDone) {
    this.transfer = work;
    this.owner = whenDone;
    if (socket != null) begin();
  }

  @Override
  public void onReady(int readyOps) {
    if (closed) return;
    try {
      if (transport != null && transport.flush()) {
        if (transport.handshaking()) {
          handshake();
        } else if (draining) {
          complete();
        } else {
          pump();
        }
      }
      if (!closed) interest();
    } catch (SSLException e) {
      fail(transport != null && transport.handshaking() ? DataFailure.noSessionReuse("TLS data handshake failed: "
          + e.getMessage()) : DataFailure.lost("TLS failed on the data connection: " + e.getMessage()));
    } catch (IOException e) {
      fail(DataFailure.lost("data connection failed: " + e.getMessage()));
    }
  }

  /** The client connected ({@link DataAcceptor}): the transfer starts if it is there. */
  private void connected(SocketChannel client) throws IOException {
    socket = client;
    key = loop.register(socket, 0, this);
    if (transfer != null) begin();
  }

  /** Both ends are there: in plain text the transfer starts now; under PROT P once the engine is made. */
  private void begin() {
    if (protection instanceof DataProtection.Private tls) {
      if (engineRequested) return;
      engineRequested = true;
      tls.handshakes().run(tls.family()::newResumingEngine, (engine, failure) -> {
        if (closed) return;
        if (failure != null) {
          fail(DataFailure.lost("no TLS engine for the data connection: " + failure));
          return;
        }
        transport = Transport.tls(socket, engine, loop, tls.handshakes(), controlAddress, this::stepBack,
            transfer instanceof DataTransfer.Receive);
        serveSoon();
      });
    } else {
      transport = Transport.plain(socket);
      interest();
    }
  }

  /** A handshake step is back from its helper thread (this runs on the loop). */
  private void stepBack() {
    if (!closed) serveSoon();
  }

  private void serveSoon() {
    loop.again(key);
    interest();
  }

  /** Advances the handshake: the read does the socket side and hands the engine work to a helper thread. */
  private void handshake() throws IOException {
    if (transport.busy()) return;
    if (transport.read(NOTHING) < 0) throw new IOException("the client closed during the TLS handshake");
  }

  private void pump() throws IOException {
    if (pause.paused()) return;
    activity.run();
    if (transfer instanceof DataTransfer.Send send && storeBehind(send)) {
      return;
    }
    switch (DataSlice.move(transfer, transport, loop.scratch())) {
      case MORE -> {
        boolean congested = transfer instanceof DataTransfer.Receive receive && pause.congested(receive.upload());
        if (!congested && transport.hasBufferedInput()) {
          loop.again(key); // decrypted or whole records the socket will not signal
        }
      }
      case DONE -> {
        draining = true;
        if (!transport.hasPendingOutput()) complete();
      }
      case TRUNCATED -> fail(DataFailure.truncated());
    }
  }

  /**
   * True when a download's store has not fetched its next bytes yet: nothing is sent until it has
   * ({@link #readOn}). A store that failed ends the transfer with 451, not 426: the data connection was fine.
   */
  private boolean storeBehind(DataTransfer.Send send) {
    try {
      return pause.behind(send.download());
    } catch (IOException e) {
      fail(DataFailure.storeFailed("reading the file from the store failed: " + e.getMessage()));
      return true;
    }
  }

  /**
   * The store caught up with a paused upload or download (posted to the loop, the pause over): move on,
   * records kept by TLS included.
   */
  private void readOn() {
    if (!closed) serveSoon();
  }

  /** Every byte is out (or in): close (with close_notify over TLS), then report. */
  private void complete() {
    DataTransfer done = transfer;
    close();
    owner.finished(done);
  }

  /** What the selector watches: nothing while an engine or a step is away, else what the transport or transfer needs. */
  private void interest() {
    if (closed || key == null || !key.isValid() || socket == null) return;
    int ops;
    if (transport == null || transport.busy()) {
      ops = 0;
    } else if (transport.hasPendingOutput() || draining) {
      ops = SelectionKey.OP_WRITE;
    } else if (pause.paused()) {
      ops = 0; // until readOn()
    } else if (transfer instanceof DataTransfer.Listing listing && listing.stream().waiting()) {
      ops = 0; // until resume(): the listing's next page is being read
    } else if (transport.handshaking() || transfer instanceof DataTransfer.Receive) {
      ops = SelectionKey.OP_READ;
    } else {
      ops = SelectionKey.OP_WRITE;
    }
    if (key.interestOps() != ops) key.interestOps(ops);
  }

  /** Sends again after a listing's next page arrived (see {@link ListingStream#waiting()}). */
  void resume() {
    interest();
  }

  private void fail(DataFailure failure) {
    DataTransfer lost = transfer;
    close();
    if (owner != null) owner.failed(lost, failure);
  }

  /** Closes without reporting, returning the transfer it carried (null if none) for the caller to release. */
  DataTransfer abandon() {
    DataTransfer held = transfer;
    close();
    return held;
  }

  /** Closes the listening socket or the data connection (close_notify first over TLS); reports nothing. Safe twice. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    if (acceptor != null) acceptor.close();
    if (key != null) key.cancel();
    try {
      if (transport != null) {
        transport.close();
      } else if (socket != null) {
        socket.close();
      }
    } catch (IOException e) {
      log.debug("data connection close failed: {}", e.toString());
    }
  }
}
