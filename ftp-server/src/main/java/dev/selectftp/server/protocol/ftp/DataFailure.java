package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.ErrorCode;

/**
 * Why a data connection ended early: the control connection's reply ({@code code}, {@code reply}), the server
 * log's words ({@code why}) and the transfer log's result ({@code result}: the SelectFTP door's word for the
 * same end, so both doors log a store failure alike).
 */
record DataFailure(int code, String reply, String why, String result) {
  /** The transfer log's result of a transfer whose connection went away. */
  static final String DISCONNECTED = "disconnected";

  DataFailure(int code, String reply, String why) {
    this(code, reply, why, DISCONNECTED);
  }

  /** The connection never came, broke, or the client went away: 426 (RFC 959), or 425 when it never came. */
  static DataFailure lost(String why) {
    return new DataFailure(426, "data connection failed; transfer aborted", why);
  }

  /** The file store failed under a download (down, or the file changed meanwhile): 451, a local error (RFC 959). */
  static DataFailure storeFailed(String why) {
    return new DataFailure(451, "transfer aborted: the file store failed; try again", why, ErrorCode.INTERNAL.code());
  }

  static DataFailure neverCame(String why) {
    return new DataFailure(425, "no data connection", why);
  }

  /** A PROT P data connection that did not resume the control connection's TLS session (vsftpd's wording and code). */
  static DataFailure noSessionReuse(String why) {
    return new DataFailure(522, "TLS session reuse required: the data connection must resume the control "
        + "connection's TLS session", why);
  }

  /** An upload over TLS ended with a FIN but no close_notify: its end may have been cut off on the path. */
  static DataFailure truncated() {
    return new DataFailure(426, "upload truncated: the data connection closed without TLS close_notify; "
        + "nothing was published (the partial is kept for a resume)", "TLS upload ended without close_notify");
  }
}
