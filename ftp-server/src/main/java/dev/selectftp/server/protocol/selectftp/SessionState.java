package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.server.core.Login;
import dev.selectftp.common.ScramServer;
import dev.selectftp.server.transfer.Download;
import dev.selectftp.server.transfer.Upload;

/**
 * Where a session is. Each state carries exactly what it owns, so an upload cannot exist outside the
 * upload states and nothing is usable before login. Input is paused in the waiting states.
 */
public sealed interface SessionState {
  /** States of a logged-in session. */
  sealed interface LoggedIn extends SessionState {
    Login login();
  }

  /** States that own an upload (its name lock, quota reservation and partial file). */
  sealed interface HoldsUpload extends LoggedIn {
    Upload upload();
  }

  /** States that own a download (its open file). */
  sealed interface HoldsDownload extends LoggedIn {
    Download download();
  }

  record AwaitingLogin() implements SessionState {}

  /** The challenge went out; the proof is due. */
  record Authenticating(String user, ScramServer exchange) implements SessionState {}

  /** Before login, paused: a registration is being written or a failed login's delay runs. */
  record Waiting(String why) implements SessionState {}

  record Ready(Login login) implements LoggedIn {}

  /**
   * A store call (cd, mkdir, delete, rename, the stat of a hash or the start of a transfer) runs off the
   * loop; input is paused until it is answered, so pipelined requests are still answered in order.
   */
  record AwaitingStore(Login login) implements LoggedIn {}

  /** A page of a listing is being read off the loop; input is paused until it is sent. */
  record Listing(Login login) implements LoggedIn {}

  /** A file is being hashed off the loop for a {@code hash} request; input is paused until it is answered. */
  record Hashing(Login login) implements LoggedIn {}

  /** The partial's kept bytes are being hashed off the loop before {@code put-ready}. */
  record Preparing(Login login, Upload upload) implements HoldsUpload {}

  /** {@code put-ready} went out; the {@code put-data} header is due. */
  record Offered(Login login, Upload upload) implements HoldsUpload {}

  /** Raw file bytes are arriving. */
  record Receiving(Login login, Upload upload) implements HoldsUpload {}

  /** Every byte arrived; {@code put-commit} is due. */
  record AwaitingCommit(Login login, Upload upload) implements HoldsUpload {}

  /** Verified; fsync and rename run off the loop. */
  record Committing(Login login, Upload upload) implements HoldsUpload {}

  /** The client's prefix is being checked off the loop before {@code get-ready}. */
  record Locating(Login login, Download download) implements HoldsDownload {}

  /** Raw file bytes are going out, then {@code get-done}. */
  record Sending(Login login, Download download) implements HoldsDownload {}

  record Closed() implements SessionState {}
}
