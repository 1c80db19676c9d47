package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.loop.Background;
import dev.selectftp.server.tls.TlsFamily;

/** How a data connection carries its bytes: PROT C or PROT P (RFC 4217 section 9). */
sealed interface DataProtection {
  /** PROT C: as they are (file bytes zero-copy). */
  record Clear() implements DataProtection {}

  /**
   * PROT P: inside TLS, with an engine of the control connection's {@code family}, which can only resume the
   * control connection's session; the handshake's steps run on {@code handshakes}.
   */
  record Private(TlsFamily family, Background handshakes) implements DataProtection {}

  DataProtection CLEAR = new Clear();
}
