package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.server.core.Login;
import dev.selectftp.server.core.RefusedTransfers;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.protocol.ftp.FtpState.Transferring;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.OutOfSpace;
import java.io.IOException;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTP commands that move bytes over a passive data connection: PASV, EPSV and REST here; RETR through
 * {@link FtpDownloads}, STOR and APPE through {@link FtpUploads}; the sending of {@link FtpListings}'
 * listings. It hands each transfer its data connection ({@link #takeData}, {@link #begin}, {@link #done})
 * and dispatches its end. During a transfer the control connection is still read, for ABOR ({@link #abort}),
 * STAT and NOOP ({@link FtpControl} holds any other command until the final reply); listing pages, REST's
 * prefix hash and an upload's fsync + rename run on helper threads. PORT and EPRT are refused (bounce
 * attacks, RFC 2577). Loop-thread confined.
 */
final class FtpTransfers implements DataChannel.Owner {
  private static final Logger log = LoggerFactory.getLogger(FtpTransfers.class);
  private final FtpControl control;
  private final FtpServices services;
  private final Peer peer;
  /** The passive data connection offered by the last PASV/EPSV and not used yet. */
  private DataChannel data;
  /** The data connection of the transfer in flight. */
  private DataChannel active;
  /** REST's offset for the next RETR or STOR. */
  private long restart;
  /** What the transfer in flight is (its 150 text), for STAT; null when none. */
  private String inProgress;
  /** The transfer in flight has sent its 150: replies to commands during it can no longer come before that. */
  private boolean announced;
  /** The transfer in flight is an upload: the client's FIN on the control connection means it is gone. */
  private boolean uploading;
  private final FtpUploads uploads;
  private final FtpDownloads downloads;
  private final RefusedTransfers refusals;

  FtpTransfers(FtpControl control, FtpServices services, Peer peer, FtpStoreWaits waits) {
    this.control = control;
    this.services = services;
    this.peer = peer;
    this.uploads = new FtpUploads(control, services, this, peer, waits);
    this.downloads = new FtpDownloads(control, services, this, peer, waits);
    this.refusals = new RefusedTransfers(services.transfers(), services.quotas());
  }

  /** STOR, APPE and ALLO. */
  FtpUploads uploads() {
    return uploads;
  }

  /** RETR. */
  FtpDownloads downloads() {
    return downloads;
  }

  /** REST's offset, used up by the transfer that asks for it. */
  long takeRestart() {
    long offset = restart;
    restart = 0;
    return offset;
  }

  FtpState passive(Ready ready, boolean extended) throws Refused {
    closeData();
    try {
      InetAddress local = peer.localAddress();
      InetAddress shown = services.passive().advertised(local);
      if (!extended && shown == null) {
        control.reply(425, "PASV describes IPv4 only; use EPSV");
        return ready;
      }
      data = DataChannel.listen(services.loop(), services.passive().open(local), services.passive().proxies(),
          peer.address(), peer::touch);
      int port = data.port();
      if (extended) {
        control.reply(229, "entering extended passive mode (|||" + port + "|)");
      } else {
        byte[] a = shown.getAddress();
        control.reply(227, "entering passive mode (" + (a[0] & 0xff) + "," + (a[1] & 0xff) + "," + (a[2] & 0xff)
            + "," + (a[3] & 0xff) + "," + (port >> 8) + "," + (port & 0xff) + ")");
      }
    } catch (IOException e) {
      log.warn("{}: passive listener failed: {}", peer.address(), e.toString());
      control.reply(425, "cannot open a data connection");
    }
    return ready;
  }

  FtpState rest(Ready ready, String arg) {
    try {
      long offset = Long.parseLong(arg.strip());
      if (offset < 0) throw new NumberFormatException();
      restart = offset;
      control.reply(350, "restarting at " + offset + "; send RETR or STOR");
    } catch (NumberFormatException e) {
      control.reply(501, "REST needs a byte offset");
    }
    return ready;
  }

  /** Sends a listing (see {@link FtpListings}) over the data connection offered last. */
  FtpState sendListing(Ready ready, ListingStream stream) {
    DataChannel channel = takeData();
    if (channel == null) return ready;
    Login login = ready.login();
    // 150 only once the first page is read: a folder that cannot be read gets a lone 550 (RFC 959's LIST
    // sequence), which rclone reads as "no such folder"; a 550 after 150 fails its copy.
    Transferring t = begin(login, null);
    stream.start(channel, this, () -> control.current() == t, failure -> {
      if (failure == null) {
        announce("here comes the listing");
      } else {
        channel.close();
        refuse(failure);
        done(login);
      }
    });
    return control.current();
  }

  DataChannel takeData() {
    DataChannel channel = data;
    data = null;
    String refusal = channel == null ? null : control.security().dataRefusal();
    if (channel == null) {
      control.reply(425, "use PASV or EPSV first");
    } else if (refusal != null) {
      channel.close();
      channel = null;
      control.reply(522, refusal);
    } else {
      channel.protect(control.security().dataProtection());
    }
    active = channel;
    return channel;
  }

  /** The transfer taken by {@link #takeData} was refused before it began: its data connection closes. */
  void dropActive() {
    if (active != null) active.close();
    active = null;
  }

  /** Starts a transfer; {@code what} is the 150 reply's text, or null when the caller sends it later. */
  Transferring begin(Login login, String what) {
    Transferring t = new Transferring(login);
    control.moveTo(t);
    inProgress = what != null ? what : "a listing";
    announced = false;
    uploading = false;
    if (what != null) announce(what); // input goes on: ABOR, STAT and NOOP are answered after the 150
    return t;
  }

  /** {@link #begin} for STOR and APPE. */
  Transferring beginUpload(Login login, String what) {
    Transferring t = begin(login, what);
    uploading = true;
    return t;
  }

  private void announce(String what) {
    control.reply(150, what);
    announced = true;
    control.transferAnnounced();
  }

  /** The transfer's final reply is out: the control connection takes commands again (held ones first). */
  void done(Login login) {
    active = null;
    inProgress = null;
    announced = false;
    uploading = false;
    control.moveTo(new Ready(login, null));
    control.transferDone();
  }

  /** What the transfer in flight is, for STAT; null when none. */
  String inProgress() {
    return inProgress;
  }

  /**
   * True while a download or listing is in flight, or an upload's bytes still arrive: a client that
   * half-closed its control connection after asking still gets the final reply, and an upload keeps every
   * byte already sent. Once an upload's data connection ended, a FIN read meanwhile closes the control
   * connection ({@link FtpControl#wakeInput}): a killed client's kernel ends both connections.
   */
  boolean answerPending() {
    return control.current() instanceof Transferring && (!uploading || active != null);
  }

  /** True once the transfer in flight sent its 150: NOOP and STAT can be answered without overtaking it. */
  boolean announced() {
    return announced && control.current() instanceof Transferring;
  }

  /** True while the announced transfer's data connection is offered or moving: ABOR can cut it. */
  boolean abortable() {
    return announced() && active != null;
  }

  /**
   * ABOR during a transfer (RFC 959): closes the data connection, releases what the transfer held (a
   * download's file; an upload's partial stays, resumable, and is never published), replies 426 then 226.
   */
  void abort() {
    if (!(control.current() instanceof Transferring t) || active == null) return;
    DataTransfer held = active.abandon();
    if (held != null) lost(held, "transfer aborted by the client (ABOR)", DataFailure.DISCONNECTED);
    control.reply(426, "transfer aborted; data connection closed");
    control.reply(226, "abort done");
    done(t.login());
  }

  @Override
  public void finished(DataTransfer transfer) {
    if (!(control.current() instanceof Transferring t)) return;
    active = null; // its data connection is closed: an ABOR now waits for the final reply
    if (transfer instanceof DataTransfer.Listing) {
      control.reply(226, "listing sent");
    } else if (transfer instanceof DataTransfer.Send send) {
      downloads.sent(t, send.download());
    } else if (transfer instanceof DataTransfer.Receive receive) {
      uploads.received(t, receive.upload());
      return;
    }
    done(t.login());
  }

  @Override
  public void failed(DataTransfer transfer, DataFailure failure) {
    lost(transfer, failure.why(), failure.result());
    if (control.current() instanceof Transferring t) {
      control.reply(failure.code(), failure.reply());
      done(t.login());
    }
  }

  /**
   * Releases what a transfer holds: a download's file, an upload's partial (kept resumable); a download's
   * transfer-log line says {@code result}.
   */
  private void lost(DataTransfer transfer, String why, String result) {
    if (!(control.current() instanceof Transferring t)) return;
    if (transfer instanceof DataTransfer.Send send) {
      downloads.lost(t, send.download(), result);
    } else if (transfer instanceof DataTransfer.Receive receive) {
      uploads.lost(receive.upload());
    }
    log.info("{}: {}", peer.address(), LogText.of(why));
  }

  /** The control connection closed: the data connection goes with it, and what it held. */
  void close() {
    if (active != null) {
      DataTransfer held = active.abandon();
      if (held != null) lost(held, "control connection closed during a transfer", DataFailure.DISCONNECTED);
      active = null;
    }
    closeData();
  }

  private void closeData() {
    if (data != null) data.close();
    data = null;
  }

  void refuse(Exception failure) {
    if (failure instanceof Refused r) {
      control.reply(FtpReplies.codeOf(r.code()), r.getMessage());
    } else {
      log.warn("{}: transfer failed: {}", peer.address(), LogText.of(failure.toString()));
      control.reply(451, "server error; see the server log");
    }
  }

  /**
   * The transfer-log line of a RETR, STOR or APPE of {@code path} refused before its 150 (the core's rule, as
   * in the SelectFTP door): a refusal logs its name ({@code not-found}), an I/O failure {@code disk-full} or
   * {@code internal}. A command without a data connection (425, 522) is out of order, not a transfer: no line.
   */
  void logRefused(Login login, String direction, String path, Exception why) {
    String result = why instanceof Refused r ? RefusedTransfers.resultOf(r.code())
        : why instanceof OutOfSpace ? RefusedTransfers.resultOf(Refusal.DISK_FULL) // found so off the loop
        : RefusedTransfers.resultOf(Refusal.INTERNAL);
    refusals.refused(login, peer.address(), direction, path, result);
  }
}
