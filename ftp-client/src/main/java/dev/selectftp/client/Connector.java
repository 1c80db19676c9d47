package dev.selectftp.client;

import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.client.tls.KnownServers;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.TlsOffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a client's connection: the TCP connect, the server's {@code hello}, and the TLS upgrade when the
 * server offers it and the client wants it (see {@link FtpClient#connect(String, int, Duration, ClientTls)}
 * for the contract). On any failure the socket is closed before the exception leaves.
 */
final class Connector {
  private static final Logger log = LoggerFactory.getLogger(Connector.class);
  /** See {@link #defaultTls()}; null until first asked for. */
  private static ClientTls defaultTls;

  /** A connection that is ready for its first request, and the greeting it began with. */
  record Opened(Wire wire, Response.Hello hello) {}

  private Connector() {}

  static Opened open(String host, int port, Duration timeout, ClientTls tls) throws IOException {
    int millis = Math.toIntExact(timeout.toMillis());
    InetSocketAddress address = new InetSocketAddress(host, port);
    // Resolved here: the socket's own connect says only "UnknownHostException" without the name.
    if (address.isUnresolved()) throw new UnknownHostException(host);
    SocketChannel channel = SocketChannel.open();
    Wire wire = null;
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.socket().connect(address, millis);
      wire = new Wire(channel, millis);
      Response.Hello hello = wire.expect(Response.Hello.class);
      log.info("connected to {}:{} ({}, iterations {}, tls {})", host, port, hello.server(), hello.iterations(),
          hello.tls());
      TlsOffer offer;
      try {
        offer = TlsOffer.fromWire(hello.tls());
      } catch (IllegalArgumentException e) {
        throw wire.lost(new IOException("server offers an unknown kind of TLS: " + hello.tls()));
      }
      if (tls.enabled() && offer != TlsOffer.OFF) {
        wire.call(new Request.StartTls(), Response.StartTls.class);
        wire.startTls(tls.newEngine(host, port));
        log.info("TLS with {}:{} is up", host, port);
      } else if (tls.enabled()) {
        tls.notice("warning: " + KnownServers.key(host, port)
            + " offers no TLS: names, listings and file contents cross the network readable");
      }
      return new Opened(wire, hello);
    } catch (IOException | RuntimeException e) {
      if (wire != null) wire.close();
      channel.close();
      throw e;
    }
  }

  /** The TLS settings of a connect that names none, read once (the system trust store). */
  static synchronized ClientTls defaultTls() throws IOException {
    if (defaultTls == null) defaultTls = ClientTls.withDefaults(line -> log.warn("{}", line));
    return defaultTls;
  }
}
