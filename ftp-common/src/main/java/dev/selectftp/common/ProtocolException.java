package dev.selectftp.common;

/** A failure with a stable {@link ErrorCode}; its message is safe to send to the peer. */
public final class ProtocolException extends Exception {
  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ProtocolException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** True when the byte stream is out of sync and the connection must close after the error reply. */
  public boolean isFatal() {
    return code == ErrorCode.BAD_FRAME || code == ErrorCode.FRAME_TOO_LARGE;
  }
}
