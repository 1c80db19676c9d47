package dev.selectftp.server.tls;

import dev.selectftp.common.TlsOffer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the server offers TLS. {@code cert} and {@code key} are PEM files (as Let's Encrypt writes them); when
 * both are null and TLS is on, a self-signed certificate is generated into the data folder on first start.
 */
public record TlsSettings(TlsOffer offer, Path cert, Path key) {
  public TlsSettings {
    Objects.requireNonNull(offer, "offer");
    if ((cert == null) != (key == null)) throw new IllegalArgumentException("give both --tls-cert and --tls-key, or neither");
  }

  /**
   * The default for a bind address: {@code required} on a public address, where the path to the client is
   * not ours, and {@code optional} on loopback, where local tools may speak plain text.
   */
  public static TlsSettings defaultFor(InetSocketAddress bind) {
    boolean loopback = bind.getAddress() != null && bind.getAddress().isLoopbackAddress();
    return new TlsSettings(loopback ? TlsOffer.OPTIONAL : TlsOffer.REQUIRED, null, null);
  }

  public static TlsSettings off() {
    return new TlsSettings(TlsOffer.OFF, null, null);
  }

  public boolean enabled() {
    return offer != TlsOffer.OFF;
  }
}
