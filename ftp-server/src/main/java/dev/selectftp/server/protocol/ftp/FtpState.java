package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.core.Login;

/** Where an FTP control connection stands. Loop-thread confined, like its session. */
sealed interface FtpState {
  /** Connected; waiting for USER. */
  record AwaitingUser() implements FtpState {}

  /** USER was given; waiting for PASS. */
  record AwaitingPass(String user) implements FtpState {}

  /** A PASS check, a failed login's delay or the first count of the user's files is in flight; input waits. */
  record Waiting(String why) implements FtpState {}

  /**
   * Logged in; a store call (CWD, MKD, DELE, a stat, the open of a file to send or receive) runs off the loop
   * and input waits until its reply, so pipelined commands are still answered in order.
   */
  record Working(Login login) implements FtpState {}

  /** Logged in, a data transfer in flight (or being prepared); input waits until its reply. */
  record Transferring(Login login) implements FtpState {}

  /** Logged in; {@code renameFrom} is the path an RNFR named, or null. */
  record Ready(Login login, String renameFrom) implements FtpState {
    Ready with(Login next) {
      return new Ready(next, null);
    }
  }
}
