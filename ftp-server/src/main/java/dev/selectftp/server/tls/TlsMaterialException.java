package dev.selectftp.server.tls;

/**
 * The server's certificate or key cannot be used: a file is missing or unreadable, holds no PEM block of the
 * right kind, holds an encrypted key, or a key that does not match the certificate. The message is one line
 * for the operator (it names the file and what to do); {@code Main} prints it without a stack trace.
 */
public final class TlsMaterialException extends Exception {
  public TlsMaterialException(String message) {
    super(message);
  }

  public TlsMaterialException(String message, Throwable cause) {
    super(message, cause);
  }
}
