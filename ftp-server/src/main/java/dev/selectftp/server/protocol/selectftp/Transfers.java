package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.server.core.Login;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.core.Downloads;
import dev.selectftp.server.core.RefusedTransfers;
import dev.selectftp.server.core.Uploads;
import dev.selectftp.server.protocol.selectftp.Peer;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.protocol.selectftp.SessionState.AwaitingCommit;
import dev.selectftp.server.protocol.selectftp.SessionState.Committing;
import dev.selectftp.server.protocol.selectftp.SessionState.HoldsDownload;
import dev.selectftp.server.protocol.selectftp.SessionState.HoldsUpload;
import dev.selectftp.server.protocol.selectftp.SessionState.Locating;
import dev.selectftp.server.protocol.selectftp.SessionState.Offered;
import dev.selectftp.server.protocol.selectftp.SessionState.Preparing;
import dev.selectftp.server.protocol.selectftp.SessionState.Ready;
import dev.selectftp.server.protocol.selectftp.SessionState.Receiving;
import dev.selectftp.server.protocol.selectftp.SessionState.Sending;
import dev.selectftp.server.transfer.Download;
import dev.selectftp.server.transfer.Upload;
import java.io.IOException;

/**
 * The SelectFTP side of the upload and download flows of docs/PROTOCOL.md: frames in, calls of the core's
 * {@link Uploads} and {@link Downloads}, frames out. Anything that would block (hashing kept bytes,
 * fsync, rename) runs in the background while the session waits with its input paused.
 */
final class Transfers {
  private final Session session;
  private final Services services;
  private final Peer peer;

  private final Uploads uploads;
  private final Downloads downloads;
  private final RefusedTransfers refusals;

  Transfers(Session session, Services services, Peer peer) {
    this.session = session;
    this.services = services;
    this.peer = peer;
    this.uploads = new Uploads(services.quotas(), services.uploads(), services.hashes());
    this.downloads = new Downloads(services.hashes());
    this.refusals = new RefusedTransfers(services.transfers(), services.quotas());
  }

  SessionState put(Ready ready, Request.Put request) throws ProtocolException, IOException {
    Login login = ready.login();
    Upload upload;
    try {
      upload = uploads.begin(login.user(), login.home(), login.cwd(), request.path(), request.size());
    } catch (Refused refused) {
      logRefused(login, RefusedTransfers.UPLOAD, request.path(), Failures.codeOf(refused.code()).code());
      throw Failures.toProtocol(refused);
    } catch (IOException e) {
      Response.Error error = Failures.toError(e, services.files(), peer.address());
      logRefused(login, RefusedTransfers.UPLOAD, request.path(), error.code());
      peer.send(error);
      return ready;
    }
    if (upload.kept() == 0) {
      peer.send(new Response.PutReady(Response.OK, "send from byte 0", 0, null));
      return new Offered(login, upload);
    }
    Preparing preparing = new Preparing(login, upload);
    peer.pauseInput();
    services.background().run(upload::hashKept, (prefix, failure) -> {
      if (session.current() != preparing) return;
      if (failure != null) {
        upload.abort();
        logUpload(upload, sendFailure(failure));
        session.moveTo(new Ready(login));
      } else {
        peer.send(new Response.PutReady(Response.OK, "resume from byte " + upload.kept(), upload.kept(),
            prefix));
        session.moveTo(new Offered(login, upload));
      }
      peer.resumeInput();
    });
    return preparing;
  }

  SessionState data(Offered offered, Request request) throws ProtocolException, IOException {
    if (!(request instanceof Request.PutData header)) {
      throw new ProtocolException(ErrorCode.WRONG_STATE, "an upload is open: send put-data");
    }
    try {
      offered.upload().accept(header.offset(), header.length());
    } catch (Refused | IOException e) {
      // Raw bytes are already on their way behind the refused header: the stream cannot be trusted.
      offered.upload().abort();
      Response.Error error = e instanceof Refused refused ? Failures.toError(refused)
          : Failures.toError((IOException) e, services.files(), peer.address());
      logUpload(offered.upload(), error.code());
      peer.send(error);
      peer.closeAfterFlush();
      return new Ready(offered.login());
    }
    if (offered.upload().remaining() == 0) return new AwaitingCommit(offered.login(), offered.upload());
    return new Receiving(offered.login(), offered.upload());
  }

  SessionState commit(AwaitingCommit awaiting, Request request) throws ProtocolException {
    if (!(request instanceof Request.PutCommit commit)) {
      throw new ProtocolException(ErrorCode.WRONG_STATE, "all bytes arrived: send put-commit");
    }
    Login login = awaiting.login();
    Upload upload = awaiting.upload();
    if (upload.writeFailure() != null) {
      // Classify first (a full disk is seen by its free space), then drop the partial: kept, it would hold
      // the disk full for everyone until it expired, and bytes past a failed write are not worth resuming.
      Response.Error error = Failures.toError(upload.writeFailure(), services.files(), peer.address());
      upload.discard();
      logUpload(upload, error.code());
      peer.send(error);
      return new Ready(login);
    }
    try {
      uploads.verify(upload, commit.sha256());
    } catch (Refused mismatch) {
      logUpload(upload, ErrorCode.CHECKSUM_MISMATCH.code());
      peer.send(Failures.toError(mismatch));
      return new Ready(login);
    }
    Committing committing = new Committing(login, upload);
    peer.pauseInput();
    services.background().run(upload::commitBlocking, (stored, failure) -> committed(committing, stored, failure));
    return committing;
  }

  /** Runs even when the client left meanwhile: the quota and the log must be settled either way. */
  private void committed(Committing committing, FileInfo stored, Exception failure) {
    Upload upload = committing.upload();
    boolean waiting = session.current() == committing;
    if (failure != null) {
      upload.abort();
      logUpload(upload, ErrorCode.INTERNAL.code());
      if (waiting) sendFailure(failure);
    } else {
      uploads.committed(upload, stored);
      logUpload(upload, "ok");
      if (waiting) {
        peer.send(new Response.PutDone(Response.CREATED, "stored " + upload.virtualPath(), upload.virtualPath(),
            upload.size(), upload.sha256()));
      }
    }
    if (waiting) {
      session.moveTo(new Ready(committing.login()));
      peer.resumeInput();
    }
  }

  SessionState get(Ready ready, Request.Get request) throws ProtocolException, IOException {
    Login login = ready.login();
    Download download;
    try {
      download = downloads.open(login.home(), login.cwd(), request.path());
    } catch (Refused refused) {
      logRefused(login, RefusedTransfers.DOWNLOAD, request.path(), Failures.codeOf(refused.code()).code());
      throw Failures.toProtocol(refused);
    } catch (IOException e) {
      Response.Error error = Failures.toError(e, services.files(), peer.address());
      logRefused(login, RefusedTransfers.DOWNLOAD, request.path(), error.code());
      peer.send(error);
      return ready;
    }
    if (downloads.hashFirst(download, request.offset())) return hashFirst(login, download);
    if (request.offset() == 0) return sending(login, download);
    Locating locating = new Locating(login, download);
    peer.pauseInput();
    services.background().run(() -> download.resumeFrom(request.offset(), request.prefixSha256()),
        (from, failure) -> {
          if (session.current() != locating) return;
          if (failure != null) {
            download.close();
            logDownload(login.user(), download, null, sendFailure(failure));
            session.moveTo(new Ready(login));
            peer.resumeInput();
          } else {
            session.moveTo(sending(login, download));
          }
        });
    return locating;
  }

  /** A small file of unknown hash: hash it once off the loop (shared with concurrent requests), then send it zero-copy. */
  private SessionState hashFirst(Login login, Download download) {
    Locating locating = new Locating(login, download);
    peer.pauseInput();
    services.fileHashes().hash(login.home(), download.info(), (sha256, failure) -> {
      if (session.current() != locating) return;
      if (failure == null) {
        download.useKnownSha256(sha256);
      }
      // Without a hash the download still works: it hashes while sending.
      session.moveTo(sending(login, download));
    });
    return locating;
  }

  /** Sends the header and hands the socket to the stream; input waits until {@code get-done}. */
  private SessionState sending(Login login, Download download) {
    announce(download);
    return new Sending(login, download);
  }

  private void announce(Download download) {
    peer.pauseInput();
    String message = download.offset() > 0 ? "resume from byte " + download.offset() : "sending";
    peer.send(new Response.GetReady(Response.OK, message, download.size(), download.offset(),
        download.knownSha256()));
    peer.startStreaming();
  }

  /** The last byte went out: the trailer carries the hash. The caller resumes input after the transition. */
  SessionState sent(Sending sending) {
    Download download = sending.download();
    String sha256 = download.sha256();
    download.close();
    logDownload(sending.login().user(), download, sha256, "ok");
    peer.send(new Response.GetDone(Response.OK, "sent " + download.virtualPath(), sha256));
    return new Ready(sending.login());
  }

  void uploadLost(HoldsUpload holds) {
    holds.upload().abort();
    if (holds instanceof Receiving || holds instanceof AwaitingCommit) logUpload(holds.upload(), "disconnected");
  }

  void downloadLost(HoldsDownload holds) {
    holds.download().close();
    if (holds instanceof Sending) logDownload(holds.login().user(), holds.download(), null, "disconnected");
  }

  /** Answers a failure of background work; returns the error code sent, for the transfer log. */
  private String sendFailure(Exception failure) {
    Response.Error error = Failures.toError(failure, services.files(), peer.address(), "transfer");
    peer.send(error);
    return error.code();
  }

  /** The transfer-log line of a {@code put} or {@code get} refused before it began (the core's rule). */
  private void logRefused(Login login, String direction, String path, String code) {
    refusals.refused(login, peer.address(), direction, path, code);
  }

  private void logUpload(Upload upload, String result) {
    services.transfers().upload(upload, peer.address(), usedNow(upload.user()), result);
  }

  /** For the transfer log; -1 if the user is not counted (cannot happen after login, which waits for it). */
  private long usedNow(String user) {
    return uploads.usedNow(user);
  }

  private void logDownload(String user, Download download, String sha256, String result) {
    services.transfers().download(user, peer.address(), download, sha256, usedNow(user), result);
  }
}
