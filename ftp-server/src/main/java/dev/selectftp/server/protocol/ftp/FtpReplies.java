package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.refusal.Refusal;

/**
 * The FTP door's side of every refusal: one reply code per {@link Refusal}, defined once (RFC 959 section
 * 4.2): 550 for "not possible with that file", 552 for storage allocation, 553 for a name not allowed, 450 /
 * 451 for what may work later, 530 for login trouble, 501 for a bad argument.
 */
final class FtpReplies {
  private FtpReplies() {}

  static int codeOf(Refusal refusal) {
    return switch (refusal) {
      case NOT_FOUND, EXISTS, NOT_EMPTY, IS_A_DIRECTORY, NOT_A_DIRECTORY, FORBIDDEN -> 550;
      case BAD_PATH, BAD_USER_NAME -> 553;
      case BAD_REQUEST -> 501;
      case BUSY -> 450;
      case QUOTA_EXCEEDED, DISK_FULL -> 552;
      case CHECKSUM_MISMATCH, INTERNAL -> 451;
      case USER_EXISTS, WEAK_CREDENTIALS, LOCKED_OUT -> 530;
      case SHUTTING_DOWN -> 421;
    };
  }
}
