package dev.selectftp.common;

/**
 * Every failure the server can report, with its numeric status and its stable wire code.
 *
 * <p>Statuses follow HTTP's split: 4xx is the client's fault, 5xx the server's. Clients must branch on
 * {@link #code()}, never on the human message. Codes are never renamed once shipped.
 */
public enum ErrorCode {
  /** The frame length is negative; the byte stream can no longer be trusted and the connection closes. */
  BAD_FRAME(400, "bad-frame"),
  /** The frame length is over {@link Frames#MAX_FRAME_BYTES}; the connection closes. */
  FRAME_TOO_LARGE(413, "frame-too-large"),
  /** The frame payload is not one well-formed JSON object. */
  BAD_JSON(400, "bad-json"),
  /** The JSON has no {@code type} or a type this side does not know. */
  UNKNOWN_TYPE(400, "unknown-type"),
  /** The message has a missing, extra or invalid field. */
  BAD_REQUEST(400, "bad-request"),
  /** The command needs a logged-in session. */
  NOT_LOGGED_IN(401, "not-logged-in"),
  /** Wrong user name or password (deliberately not saying which). */
  AUTH_FAILED(401, "auth-failed"),
  /** The command is valid but not in this session's current state (for example a second upload). */
  WRONG_STATE(409, "wrong-state"),
  /** The user name does not match the allowed pattern. */
  BAD_USER_NAME(400, "bad-user-name"),
  /** The registration's key material or iteration count is not acceptable. */
  WEAK_CREDENTIALS(400, "weak-credentials"),
  /** Somebody already registered that name. */
  USER_EXISTS(409, "user-exists"),
  /** The path is malformed or would leave the user's home. */
  BAD_PATH(400, "bad-path"),
  /** The path exists but may not be used this way (for example a symlink that points out of the home). */
  FORBIDDEN(403, "forbidden"),
  /** No such file or folder. */
  NOT_FOUND(404, "not-found"),
  /** The target name is already taken. */
  EXISTS(409, "exists"),
  /** A folder must be empty before it can be deleted. */
  NOT_EMPTY(409, "not-empty"),
  /** A folder was named where a file is needed. */
  IS_A_DIRECTORY(409, "is-a-directory"),
  /** A file was named where a folder is needed. */
  NOT_A_DIRECTORY(409, "not-a-directory"),
  /** Another session is uploading to the same name right now. */
  BUSY(409, "busy"),
  /** The upload would take the user over their quota; refused before any file byte moves. */
  QUOTA_EXCEEDED(413, "quota-exceeded"),
  /** The bytes received do not hash to the SHA-256 the client declared; nothing was stored. */
  CHECKSUM_MISMATCH(422, "checksum-mismatch"),
  /** Too many failed logins: this account or address is shut out for a while. */
  LOCKED_OUT(429, "locked-out"),
  /** The session took too long to log in, or sat idle too long. */
  TIMEOUT(408, "timeout"),
  /** A plain-text request on a server that requires TLS; the connection closes. */
  TLS_REQUIRED(426, "tls-required"),
  /** {@code start-tls} on a server without TLS, or not as the first request after {@code hello}. */
  TLS_UNAVAILABLE(400, "tls-unavailable"),
  /** Connection caps reached (overall or per address). */
  TOO_MANY_CONNECTIONS(503, "too-many-connections"),
  /** The server is shutting down. */
  SHUTTING_DOWN(503, "shutting-down"),
  /** The server's disk is full. */
  DISK_FULL(507, "disk-full"),
  /** Anything else on the server's side; details are in the server log, not on the wire. */
  INTERNAL(500, "internal");

  private final int status;
  private final String code;

  ErrorCode(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Returns the constant whose wire code is {@code code}, or {@link #INTERNAL} for codes this build does not know. */
  public static ErrorCode fromCode(String code) {
    for (ErrorCode e : values()) {
      if (e.code.equals(code)) return e;
    }
    return INTERNAL;
  }
}
