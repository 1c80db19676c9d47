package dev.selectftp.server.tls;

import javax.net.ssl.SSLEngine;

/**
 * Where a connection gets its TLS engine: configured for the server side, TLS 1.3 and 1.2 only, modern
 * cipher suites, with the certificate current at the time of the call (so a renewed certificate serves new
 * connections without a restart, and connections already open keep theirs).
 */
public interface TlsEngines {
  /** A fresh server-mode engine. Cheap: no file I/O, no key generation; safe on the event loop. */
  SSLEngine newServerEngine();

  /**
   * A {@link TlsFamily} with the current certificate, for one FTPS session: a control engine and data
   * engines that can only resume its session. Cheap (no context is made yet); safe on the event loop.
   *
   * @throws UnsupportedOperationException when this source cannot make one (it then offers no FTPS)
   */
  default TlsFamily newFamily() {
    throw new UnsupportedOperationException("this TLS source makes no session families");
  }
}
