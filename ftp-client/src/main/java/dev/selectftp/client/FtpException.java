package dev.selectftp.client;

import dev.selectftp.common.ErrorCode;
import java.io.IOException;

/**
 * The server refused a request (an {@code error} reply), or the client refused to trust what the server
 * sent (a bad SCRAM signature, a download that never hashed right). Branch on {@link #code()}; the message
 * is the server's human text, fit to show to a user.
 */
public final class FtpException extends IOException {
  private final ErrorCode code;

  /** Creates an exception for {@code code} with the given human message. */
  public FtpException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  /** The stable error code; never branch on {@link #getMessage()}. */
  public ErrorCode code() {
    return code;
  }
}
