package dev.selectftp.server.net;

import dev.selectftp.server.loop.EventLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Who must send a PROXY header and how long it may take: what the doors' {@link Listener}s and FTP's passive
 * data connections ask of each new socket before anything else reads it.
 *
 * @param from the trusted proxies
 * @param headerTimeout how long a trusted proxy's connection may take to deliver its whole header
 */
public record ProxyProtocol(ProxySources from, Duration headerTimeout) {
  /** No proxy trusted: every connection is taken as it comes, as without this feature. */
  public static final ProxyProtocol OFF = new ProxyProtocol(ProxySources.NONE, ConnectionLimits.FRAME_TIMEOUT);

  /** True when {@code address} is a trusted proxy, so its connections begin with a header. */
  public boolean expectsHeader(InetAddress address) {
    return from.trusts(address);
  }

  /**
   * Reads {@code channel}'s header on {@code loop} (see {@link ProxyHeaderWait}): {@code onHeader} gets it,
   * the socket still registered with interest 0, or the socket is closed with a log line and
   * {@code onFailed} runs.
   */
  public void await(EventLoop loop, SocketChannel channel, String proxyAddress, Consumer<ProxyHeader> onHeader,
      Runnable onFailed) throws IOException {
    ProxyHeaderWait.start(loop, channel, proxyAddress, headerTimeout.toNanos(), onHeader, onFailed);
  }
}
