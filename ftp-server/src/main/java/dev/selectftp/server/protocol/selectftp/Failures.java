package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.LogText;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Response;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.OutOfSpace;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SelectFTP door's side of every failure: a core {@link Refused} becomes the error code of the same
 * meaning, and an I/O failure a reply without server paths or stack traces. A client can cause I/O failures
 * (a full disk, a vanished file, a name the OS refuses) as often as it sends requests, so each is logged in
 * one line, the exception's type and text escaped (they may hold names the client chose); the stack trace
 * goes to debug only, for whoever investigates.
 */
final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  /** The wire code of a refusal: one to one, so the FTP door can map the same refusals to its reply codes. */
  static ErrorCode codeOf(Refusal refusal) {
    return switch (refusal) {
      case NOT_FOUND -> ErrorCode.NOT_FOUND;
      case EXISTS -> ErrorCode.EXISTS;
      case NOT_EMPTY -> ErrorCode.NOT_EMPTY;
      case IS_A_DIRECTORY -> ErrorCode.IS_A_DIRECTORY;
      case NOT_A_DIRECTORY -> ErrorCode.NOT_A_DIRECTORY;
      case BAD_PATH -> ErrorCode.BAD_PATH;
      case BAD_REQUEST -> ErrorCode.BAD_REQUEST;
      case FORBIDDEN -> ErrorCode.FORBIDDEN;
      case BUSY -> ErrorCode.BUSY;
      case QUOTA_EXCEEDED -> ErrorCode.QUOTA_EXCEEDED;
      case CHECKSUM_MISMATCH -> ErrorCode.CHECKSUM_MISMATCH;
      case DISK_FULL -> ErrorCode.DISK_FULL;
      case BAD_USER_NAME -> ErrorCode.BAD_USER_NAME;
      case USER_EXISTS -> ErrorCode.USER_EXISTS;
      case WEAK_CREDENTIALS -> ErrorCode.WEAK_CREDENTIALS;
      case LOCKED_OUT -> ErrorCode.LOCKED_OUT;
      case SHUTTING_DOWN -> ErrorCode.SHUTTING_DOWN;
      case INTERNAL -> ErrorCode.INTERNAL;
    };
  }

  /** A refusal as the exception the session answers with an error frame. */
  static ProtocolException toProtocol(Refused refused) {
    return new ProtocolException(codeOf(refused.code()), refused.getMessage(), refused);
  }

  static Response.Error toError(Refused refused) {
    return Response.Error.of(codeOf(refused.code()), refused.getMessage());
  }

  /**
   * An I/O failure: a full disk when it was found so off the loop ({@link OutOfSpace}, from
   * {@code core.StoreCalls}), else a server error. The store is never asked on the loop.
   */
  static Response.Error toError(IOException e, String address) {
    if (e instanceof OutOfSpace) {
      log.warn("{}: disk full: {}", address, LogText.of(e.toString()));
      return Response.Error.of(ErrorCode.DISK_FULL, "the server's disk is full");
    }
    log.warn("{}: I/O failure: {}", address, LogText.of(e.toString()));
    log.debug("{}: I/O failure, stack trace", address, e);
    return Response.Error.of(ErrorCode.INTERNAL, "server error; see the server log");
  }

  /**
   * Any failure of work done off the loop: a refusal, an I/O failure, a refused hand-over (the server is
   * stopping), or a bug, which is logged with its stack trace and answered without details.
   */
  static Response.Error toError(Exception failure, String address, String what) {
    if (failure instanceof Refused refused) return toError(refused);
    if (failure instanceof ProtocolException refusal) return Response.Error.of(refusal.code(), refusal.getMessage());
    if (failure instanceof IOException io) return toError(io, address);
    if (failure instanceof RejectedExecutionException) {
      return Response.Error.of(ErrorCode.SHUTTING_DOWN, "the server is shutting down");
    }
    log.error("{}: {} failed unexpectedly", address, what, failure);
    return Response.Error.of(ErrorCode.INTERNAL, "server error; see the server log");
  }
}
