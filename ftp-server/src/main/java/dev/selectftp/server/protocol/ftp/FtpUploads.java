package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.server.core.Login;
import dev.selectftp.server.core.RefusedTransfers;
import dev.selectftp.server.core.Uploads;
import dev.selectftp.server.core.Uploads.Resume;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.protocol.ftp.FtpState.Transferring;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.transfer.Upload;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTP commands that store files: STOR (after REST n: continue an interrupted upload), APPE and ALLO.
 * Where an upload starts is the core's rule ({@link Uploads#restartAt}, {@link Uploads#append}), shared with
 * the SelectFTP door's resume; this class only maps it to replies. Every upload goes into the hidden partial,
 * is hashed as it arrives and is published by an atomic rename off the loop; hashing a continued partial's
 * bytes or copying the file an APPE extends runs off the loop too, after the 150 reply. Loop-thread confined.
 */
final class FtpUploads {
  private static final Logger log = LoggerFactory.getLogger(FtpUploads.class);
  /** No ALLO is pending. */
  private static final long NO_ALLOCATION = -1;
  /** RFC 959's reply to a REST offset the server cannot honour for this transfer. */
  private static final int BAD_RESTART = 554;

  private final FtpControl control;
  private final FtpServices services;
  private final FtpTransfers transfers;
  private final String address;
  /**
   * How long after an upload's data connection ended a hang-up of its control connection still means the
   * client went away mid-upload rather than after it: a killed client's connections close together.
   */
  static final long HANGUP_GRACE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);

  private final Peer peer;
  private final FtpStoreWaits waits;
  /** The upload whose fsync or rename runs on a helper thread now; it settles itself when back. */
  private Upload committing;
  /** What the last ALLO reserved room for, for the next STOR or APPE only. */
  private long allocated = NO_ALLOCATION;

  FtpUploads(FtpControl control, FtpServices services, FtpTransfers transfers, Peer peer, FtpStoreWaits waits) {
    this.control = control;
    this.waits = waits;
    this.services = services;
    this.transfers = transfers;
    this.peer = peer;
    this.address = peer.address();
  }

  /**
   * ALLO n [R m] (RFC 959): refuses with 552 at once when n bytes cannot fit the quota now, else holds n for
   * the next STOR or APPE, which reserves them before its first byte (and gets 552 then if another session
   * took the room meanwhile, or, across nodes, the shared ledger has no room for them). The record size is
   * ignored: files are streams of bytes.
   */
  FtpState allocate(Ready ready, String arg) throws Refused {
    String[] words = arg.strip().toUpperCase(Locale.ROOT).split(" +");
    long bytes;
    try {
      bytes = Long.parseLong(words[0]);
      if (bytes < 0) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      control.reply(501, "ALLO needs a byte count");
      return ready;
    }
    long free = services.quotas().usage(ready.login().user()).free();
    if (bytes > free) {
      throw new Refused(Refusal.QUOTA_EXCEEDED, "ALLO " + bytes + " does not fit: " + free
          + " bytes of your quota are free");
    }
    allocated = bytes;
    control.reply(200, "room for " + bytes + " bytes held for the next STOR or APPE");
    return ready;
  }

  /** STOR (from REST's offset, 0 without one) or APPE of {@code path}. */
  FtpState store(Ready ready, String path, boolean append) {
    Login login = ready.login();
    long restart = transfers.takeRestart();
    long allocation = allocated;
    allocated = NO_ALLOCATION;
    // The data connection is checked first (425, or 522 under --tls required): a refused transfer must not
    // have touched the upload's partial.
    DataChannel channel = transfers.takeData();
    if (channel == null) return ready;
    return waits.<Upload>await(ready, append ? "APPE" : "STOR",
        done -> services.uploads().begin(login.user(), login.home(), login.cwd(), path, Upload.UNKNOWN_SIZE,
            (upload, failure) -> {
              if (failure != null) {
                transfers.dropActive();
                transfers.logRefused(login, RefusedTransfers.UPLOAD, path, failure);
              }
              done.accept(upload, failure);
            }),
        upload -> begun(ready, path, append, restart, allocation, channel, upload),
        Upload::abort); // the control connection went away while the upload began
  }

  /** Once the upload began: where it starts, then the 150 and the data. */
  private FtpState begun(Ready ready, String path, boolean append, long restart, long allocation,
      DataChannel channel, Upload upload) throws Refused, IOException {
    Login login = ready.login();
    Uploads uploads = services.uploads();
    Resume resume;
    try {
      resume = append ? uploads.append(upload) : uploads.restartAt(upload, restart);
      if (resume instanceof Resume.Mismatch mismatch) {
        upload.abort();
        log.info("{}: {} REST {} refused for {}: {} bytes held", address, LogText.of(login.user()),
            mismatch.offset(), LogText.of(upload.virtualPath()), mismatch.held());
        transfers.dropActive();
        Refused refused = new Refused(Refusal.BAD_REQUEST, mismatch.why());
        transfers.logRefused(login, RefusedTransfers.UPLOAD, path, refused);
        control.reply(BAD_RESTART, mismatch.why());
        return ready;
      }
      if (!Uploads.needsPreparing(resume)) Uploads.start(upload, resume); // may drop a held partial: first
      if (allocation > 0) upload.allocate(allocation); // before any byte: a 552 here costs nothing
    } catch (Refused | IOException | RuntimeException e) {
      upload.abort();
      transfers.dropActive();
      transfers.logRefused(login, RefusedTransfers.UPLOAD, path, e);
      throw e;
    }
    if (allocation > 0) { // across nodes the shared ledger grants ALLO's room too, off the loop, before the 150
      return waits.<Upload>await(ready, "STOR",
          done -> uploads.confirmShared(upload, (granted, failure) -> {
            if (failure != null) {
              upload.abort();
              transfers.dropActive();
              transfers.logRefused(login, RefusedTransfers.UPLOAD, path, failure);
            }
            done.accept(granted, failure);
          }),
          granted -> transfer(login, resume, channel, granted),
          Upload::abort); // the control connection went away meanwhile
    }
    return transfer(login, resume, channel, upload);
  }

  /** Once the upload's room is held: the 150, then the data (after preparing a continued or appended partial). */
  private FtpState transfer(Login login, Resume resume, DataChannel channel, Upload upload) {
    String what = resume.offset() == 0 ? "send " + upload.virtualPath()
        : "send " + upload.virtualPath() + " from byte " + resume.offset();
    Transferring t = transfers.beginUpload(login, what);
    if (!Uploads.needsPreparing(resume)) {
      channel.start(new DataTransfer.Receive(upload), transfers);
      return control.current();
    }
    services.background().run(() -> {
      Uploads.prepareBlocking(upload, resume);
      return resume;
    }, (prepared, failure) -> {
      if (control.current() != t) { // the control connection went away meanwhile
        channel.close();
        upload.abort();
        logUpload(upload, "disconnected");
        return;
      }
      Exception problem = failure;
      if (problem == null) {
        try {
          Uploads.start(upload, resume);
        } catch (Refused | IOException e) {
          problem = e;
        }
      }
      if (problem != null) {
        channel.close();
        upload.abort();
        logUpload(upload, "internal");
        transfers.refuse(problem);
        transfers.done(login);
        return;
      }
      channel.start(new DataTransfer.Receive(upload), transfers);
    });
    return control.current();
  }

  /**
   * The data connection closed: by the client (the upload's size is what arrived), or by the server once
   * the quota was passed. Over the quota or after a write failure nothing is published; else the partial is
   * published off the loop and the 226 names its SHA-256.
   */
  void received(Transferring t, Upload upload) {
    upload.endOfData();
    Refused over = upload.overQuota();
    IOException io = upload.writeFailure();
    if (over != null || io != null) {
      upload.abort();
      logUpload(upload, over != null ? "quota-exceeded" : "internal");
      // Answered once the partial is trimmed off the loop, so the next command sees the quota settled.
      upload.whenSettled(() -> {
        if (control.current() != t) return;
        if (over != null) {
          control.reply(552, over.getMessage());
        } else {
          transfers.refuse(io);
        }
        transfers.done(t.login());
      });
      return;
    }
    String sha256;
    try {
      sha256 = services.uploads().verify(upload, null).sha256();
    } catch (Refused cannotHappen) { // no checksum declared: nothing to mismatch
      upload.abort();
      transfers.refuse(cannotHappen);
      transfers.done(t.login());
      return;
    }
    // A killed client's kernel closes the data and the control connection together, and in stream mode the
    // data connection's end is all that marks a file's end: a truncated file would look complete. So the
    // control connection is looked at again now (FtpTransfers.answerPending), and the partial is published only if the client is still there
    // once the fsync is done and HANGUP_GRACE_NANOS have passed; a client that hung up keeps it resumable.
    committing = upload;
    control.wakeInput();
    long endedNanos = System.nanoTime();
    services.background().run(() -> {
      upload.syncBlocking();
      return upload;
    }, (synced, failure) -> {
      long wait = HANGUP_GRACE_NANOS - (System.nanoTime() - endedNanos);
      if (wait <= 0) {
        publish(t, upload, sha256, failure);
      } else {
        services.loop().schedule(wait, () -> publish(t, upload, sha256, failure));
      }
    });
  }

  /** On the loop, once the partial is synced: publishes it if its session is still there, else keeps it. */
  private void publish(Transferring t, Upload upload, String sha256, Exception syncFailure) {
    if (control.current() != t || syncFailure != null) {
      committing = null;
      upload.abort();
      logUpload(upload, syncFailure != null ? "internal" : "disconnected");
      if (syncFailure != null && control.current() == t) {
        transfers.refuse(syncFailure);
        transfers.done(t.login());
      } else {
        log.info("{}: {} hung up as {} ended; kept as an interrupted upload", address,
            LogText.of(t.login().user()), LogText.of(upload.virtualPath()));
      }
      return;
    }
    services.background().run(upload::publishBlocking, (stored, failure) -> {
      committing = null;
      boolean waiting = control.current() == t;
      if (failure != null) {
        upload.abort();
        logUpload(upload, "internal");
        if (waiting) transfers.refuse(failure);
      } else {
        services.uploads().committed(upload, stored);
        logUpload(upload, "ok");
        log.info("{}: {} stored {} over FTP", address, LogText.of(t.login().user()),
            LogText.of(upload.virtualPath()));
        if (waiting) control.reply(226, "stored " + upload.virtualPath() + "; SHA-256 " + sha256);
      }
      if (waiting) transfers.done(t.login());
    });
  }

  /** The data or control connection failed mid-upload: the partial is kept, resumable (see {@link Upload#abort}). */
  void lost(Upload upload) {
    if (upload == committing) return; // its commit is on a helper thread, and settles it when back
    upload.abort();
    logUpload(upload, "disconnected");
  }

  private void logUpload(Upload upload, String result) {
    services.transfers().upload(upload, address, services.uploads().usedNow(upload.user()), result);
  }
}
