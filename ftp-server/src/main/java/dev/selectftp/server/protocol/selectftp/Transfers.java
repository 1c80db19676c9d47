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
  private final StoreWaits waits;

  Transfers(Session session, Services services, Peer peer) {
    this.session = session;
    this.services = services;
    this.peer = peer;
    this.uploads = new Uploads(services.quotas(), services.uploads(), services.hashes(), services.store());
    this.downloads = new Downloads(services.hashes(), services.store());
    this.waits = new StoreWaits(session, peer);
    this.refusals = new RefusedTransfers(services.transfers(), services.quotas());
  }

  SessionState put(Ready ready, Request.Put request) {
    Login login = ready.login();
    return waits.<Upload>await(ready,
        done -> uploads.begin(login.user(), login.home(), login.cwd(), request.path(), request.size(), done),
        (upload, failure) -> failure != null ? refused(ready, RefusedTransfers.UPLOAD, request.path(), failure)
            : begun(login, upload),
        upload -> {
          if (upload != null) upload.abort(); // the client left while the upload began
        });
  }

  /** A transfer refused before it began: logged as the core says, answered as the session would. */
  private SessionState refused(Ready ready, String direction, String path, Exception failure)
      throws ProtocolException {
    if (failure instanceof Refused refused) {
      logRefused(ready.login(), direction, path, Failures.codeOf(refused.code()).code());
      throw Failures.toProtocol(refused);
    }
    Response.Error error = Failures.toError(failure, peer.address(), direction);
    logRefused(ready.login(), direction, path, error.code());
    peer.send(error);
    return ready;
  }

  private SessionState begun(Login login, Upload upload) {
    if (upload.kept() == 0) {
      peer.send(new Response.PutReady(Response.OK, "send from byte 0", 0, null));
      return new Offered(login, upload);
    }
    Preparing preparing = new Preparing(login, upload);
    peer.pauseInput();
    services.background().run(services.store().classified(upload::hashKept), (prefix, failure) -> {
      if (session.current() != preparing) return;
      if (failure != null) {
        upload.abort();
        Response.Error error = Failures.toError(failure, peer.address(), "transfer");
        logUpload(upload, error.code());
        session.moveTo(answerSettled(login, upload, error)); // input stays paused until the answer
        return;
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
          : Failures.toError((IOException) e, peer.address());
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
      // Classify first (a full disk is seen by its free space, asked off the loop), then drop the partial:
      // kept, it would hold the disk full for everyone until it expired, and bytes past a failed write are
      // not worth resuming.
      return waits.<IOException>await(new Ready(login), done -> services.store().classify(upload.writeFailure(), done),
          (classified, failure) -> {
            Response.Error error = Failures.toError(classified != null ? classified : upload.writeFailure(),
                peer.address());
            upload.discard();
            logUpload(upload, error.code());
            return answerSettled(login, upload, error);
          },
          classified -> upload.discard());
    }
    try {
      uploads.verify(upload, commit.sha256());
    } catch (Refused mismatch) {
      logUpload(upload, ErrorCode.CHECKSUM_MISMATCH.code());
      return answerSettled(login, upload, Failures.toError(mismatch));
    }
    Committing committing = new Committing(login, upload);
    peer.pauseInput();
    services.background().run(services.store().classified(upload::commitBlocking),
        (stored, failure) -> committed(committing, stored, failure));
    return committing;
  }

  /**
   * Sends {@code error} once the upload's end is settled (its partial deleted or trimmed off the loop), so
   * whatever the client asks next (its quota, a listing, the same name again) sees it settled.
   */
  private SessionState answerSettled(Login login, Upload upload, Response.Error error) {
    Ready ready = new Ready(login);
    return waits.<Void>await(ready, done -> upload.whenSettled(() -> done.accept(null, null)), (nothing, failure) -> {
      peer.send(error);
      return ready;
    });
  }

  /** Runs even when the client left meanwhile: the quota and the log must be settled either way. */
  private void committed(Committing committing, FileInfo stored, Exception failure) {
    Upload upload = committing.upload();
    boolean waiting = session.current() == committing;
    if (failure != null) {
      upload.abort();
      logUpload(upload, ErrorCode.INTERNAL.code());
      // Answered once the partial is settled; input stays paused until then.
      if (waiting) {
        session.moveTo(answerSettled(committing.login(), upload, Failures.toError(failure, peer.address(),
            "transfer")));
      }
      return;
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

  SessionState get(Ready ready, Request.Get request) {
    Login login = ready.login();
    return waits.<Download>await(ready, done -> downloads.open(login.home(), login.cwd(), request.path(), done),
        (download, failure) -> failure != null ? refused(ready, RefusedTransfers.DOWNLOAD, request.path(), failure)
            : opened(login, request, download),
        download -> {
          if (download != null) download.close(); // the client left while the file was opened
        });
  }

  private SessionState opened(Login login, Request.Get request, Download download) {
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

  /**
   * The store failed in the middle of a download's raw bytes (see {@code Session.stream}): no frame can say
   * so there, the connection closes and the client resumes; logged with the store's error, not as a
   * disconnect.
   */
  SessionState storeFailed(Sending sending, IOException failure) {
    Download download = sending.download();
    download.close();
    logDownload(sending.login().user(), download, null, Failures.toError(failure, peer.address()).code());
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
    Response.Error error = Failures.toError(failure, peer.address(), "transfer");
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
