package dev.selectftp.server.tls;

import java.io.IOException;

/**
 * A server could not start because its TLS certificate or key cannot be used. An {@link IOException}, so
 * starting a server still fails in one way; the message is one line naming the file.
 */
public final class TlsCertificateException extends IOException {
  private static final long serialVersionUID = 1L;

  public TlsCertificateException(TlsMaterialException cause) {
    super(cause.getMessage(), cause);
  }
}
