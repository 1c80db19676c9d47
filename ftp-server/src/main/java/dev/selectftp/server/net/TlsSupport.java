package dev.selectftp.server.net;

import dev.selectftp.server.loop.Background;
import dev.selectftp.server.tls.TlsEngines;
import java.util.Objects;

/**
 * What a connection needs to upgrade to TLS: where engines come from, and the helper threads that run the
 * handshake's expensive steps (signatures, key agreement) off the loop.
 */
public record TlsSupport(TlsEngines engines, Background handshakes) {
  public TlsSupport {
    Objects.requireNonNull(engines, "engines");
    Objects.requireNonNull(handshakes, "handshakes");
  }
}
