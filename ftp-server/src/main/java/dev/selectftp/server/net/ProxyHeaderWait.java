package dev.selectftp.server.net;

import dev.selectftp.common.LogText;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.Selectable;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection from a trusted proxy, on the loop until its PROXY header is in: reads only the header's bytes
 * ({@link ProxyHeaderDecoder}), however they are split, then hands the socket on with its selection key
 * still registered (the next owner's {@link EventLoop#register} takes the key over) and the rest of its
 * bytes unread. Fair: one readiness event costs at most a header's worth of small reads (v2: two; v1: about
 * ten, 107 bytes at most); a header still incomplete after the deadline, malformed, or cut off closes the
 * socket with one log line, and the owner hears {@code onFailed} (it counted nothing against any client).
 * Loop-thread confined.
 */
final class ProxyHeaderWait implements Selectable {
  private static final Logger log = LoggerFactory.getLogger(ProxyHeaderWait.class);

  private final SocketChannel channel;
  private final String proxyAddress;
  private final Consumer<ProxyHeader> onHeader;
  private final Runnable onFailed;
  private final ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
  private SelectionKey key;
  private boolean done;

  private ProxyHeaderWait(SocketChannel channel, String proxyAddress, Consumer<ProxyHeader> onHeader,
      Runnable onFailed) {
    this.channel = channel;
    this.proxyAddress = proxyAddress;
    this.onHeader = onHeader;
    this.onFailed = onFailed;
  }

  /**
   * Waits on {@code loop} for the header of {@code channel} (connected, from {@code proxyAddress}); exactly
   * one of {@code onHeader} (on the loop, the socket registered with interest 0) or {@code onFailed} (the
   * socket closed) is called, unless this call throws (then the socket is closed and neither is).
   */
  static void start(EventLoop loop, SocketChannel channel, String proxyAddress, long timeoutNanos,
      Consumer<ProxyHeader> onHeader, Runnable onFailed) throws IOException {
    ProxyHeaderWait wait = new ProxyHeaderWait(channel, proxyAddress, onHeader, onFailed);
    try {
      wait.key = loop.register(channel, SelectionKey.OP_READ, wait);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    loop.schedule(timeoutNanos, () -> wait.fail("no PROXY header within " + timeoutNanos / 1_000_000 + " ms"));
  }

  @Override
  public void onReady(int readyOps) {
    if (done) return;
    try {
      ProxyHeader header = null;
      while (header == null) {
        int n = channel.read(decoder.room());
        if (n < 0) {
          fail("closed before its PROXY header was complete");
          return;
        }
        if (n == 0) return;
        header = decoder.parse();
      }
      done = true;
      key.interestOps(0);
      log.debug("{}: PROXY v{} header: {}", proxyAddress, header.version(), header.address(proxyAddress));
      onHeader.accept(header);
    } catch (ProxyHeaderDecoder.Malformed e) {
      fail(e.getMessage());
    } catch (IOException e) {
      fail("read failed: " + e);
    }
  }

  private void fail(String why) {
    if (done) return;
    log.info("{}: closing a connection from a trusted proxy: {}", proxyAddress, LogText.of(why));
    close();
  }

  /** Closes the socket without its header (the loop's shutdown calls this too); the owner hears it once. */
  @Override
  public void close() {
    if (done) return;
    done = true;
    if (key != null) key.cancel();
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("close failed: {}", e.toString());
    }
    onFailed.run();
  }

  @Override
  public String toString() {
    return "ProxyHeaderWait[" + proxyAddress + "]";
  }
}
