package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.server.core.Login;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.protocol.ftp.FtpState.Transferring;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.transfer.Download;
import dev.selectftp.server.transfer.TransferLog;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTP commands that move bytes over a passive data connection: PASV, EPSV, REST, LIST, NLST, RETR; STOR and
 * APPE through {@link FtpUploads}.
 * Each transfer pauses the control connection's input until its final reply; listing pages, REST's prefix
 * hash and an upload's fsync + rename run on helper threads. PORT and EPRT are refused (bounce attacks, RFC
 * 2577). Loop-thread confined.
 */
final class FtpTransfers implements DataChannel.Owner {
  private static final Logger log = LoggerFactory.getLogger(FtpTransfers.class);
  /** Entries per listing page read off the loop; the whole listing is sent as one text. */
  private static final PageSize LIST_PAGE = PageSize.entries(1000);

  private final FtpControl control;
  private final FtpServices services;
  private final Peer peer;
  /** The passive data connection offered by the last PASV/EPSV and not used yet. */
  private DataChannel data;
  /** The data connection of the transfer in flight. */
  private DataChannel active;
  /** REST's offset for the next RETR or STOR. */
  private long restart;
  private final FtpUploads uploads;

  FtpTransfers(FtpControl control, FtpServices services, Peer peer) {
    this.control = control;
    this.services = services;
    this.peer = peer;
    this.uploads = new FtpUploads(control, services, this, peer);
  }

  /** STOR, APPE and ALLO. */
  FtpUploads uploads() {
    return uploads;
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
      data = DataChannel.listen(services.loop(), services.passive().open(local), peer.address(), peer::touch);
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

  FtpState list(Ready ready, String arg, boolean namesOnly) throws Refused {
    Login login = ready.login();
    String path = arg.strip();
    if (path.startsWith("-")) path = ""; // "LIST -la" as many clients send it: options are ignored
    String target = services.operations().listTarget(login.cwd(), path.isEmpty() ? null : path);
    DataChannel channel = takeData();
    if (channel == null) return ready;
    // 150 only once the listing is read: a missing folder gets a lone 550 (RFC 959's LIST sequence), which
    // rclone reads as "no such folder" and creates it; a 550 after 150 fails its copy.
    Transferring t = begin(login, null);
    services.listings().run(() -> format(login, target, namesOnly), (text, failure) -> {
      if (control.current() != t) return;
      if (failure != null) {
        channel.close();
        refuse(failure);
        done(login);
      } else {
        control.reply(150, "here comes the listing");
        channel.start(new DataTransfer.Text(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))), this);
      }
    });
    return control.current();
  }

  /** Blocking: every page of the folder, formatted. */
  private String format(Login login, String folder, boolean namesOnly) throws Refused {
    StringBuilder out = new StringBuilder();
    Instant now = Instant.now();
    String after = null;
    do {
      Listing page = services.operations().listPage(login.home(), login.cwd(), folder, after, LIST_PAGE);
      for (Entry e : page.entries()) out.append(namesOnly ? ListFormat.name(e) : ListFormat.line(e, now));
      after = page.next();
    } while (after != null);
    return out.toString();
  }

  FtpState retrieve(Ready ready, String path) throws Refused, IOException {
    Login login = ready.login();
    long from = restart;
    restart = 0;
    Download download = services.downloads().open(login.home(), login.cwd(), path);
    if (from > download.size()) {
      download.close();
      throw new Refused(Refusal.BAD_REQUEST, "REST " + from + " is past the end (" + download.size() + " bytes)");
    }
    DataChannel channel = takeData();
    if (channel == null) {
      download.close();
      return ready;
    }
    Transferring t = begin(login, "sending " + download.virtualPath() + " (" + download.size() + " bytes)");
    if (from == 0 && services.downloads().hashFirst(download, 0)) {
      services.fileHashes().hash(login.home(), download.info(), (sha256, failure) -> {
        if (failure == null) download.useKnownSha256(sha256); // else it hashes while sending
        startSend(t, channel, download);
      });
    } else if (from == 0) {
      startSend(t, channel, download);
    } else {
      services.background().run(() -> download.startAt(from), (offset, failure) -> {
        if (failure != null && control.current() == t) {
          channel.close();
          download.close();
          refuse(failure);
          done(login);
        } else {
          startSend(t, channel, download);
        }
      });
    }
    return control.current();
  }

  private void startSend(Transferring t, DataChannel channel, Download download) {
    if (control.current() != t) {
      download.close();
      return;
    }
    channel.start(new DataTransfer.Send(download), this);
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

  /** Pauses the control connection for a transfer; {@code what} is the 150 reply's text, or null to send it later. */
  Transferring begin(Login login, String what) {
    Transferring t = new Transferring(login);
    control.moveTo(t);
    peer.pauseInput();
    if (what != null) control.reply(150, what);
    return t;
  }

  void done(Login login) {
    active = null;
    control.moveTo(new Ready(login, null));
    peer.resumeInput();
  }

  @Override
  public void finished(DataTransfer transfer) {
    if (!(control.current() instanceof Transferring t)) return;
    if (transfer instanceof DataTransfer.Text) {
      control.reply(226, "listing sent");
    } else if (transfer instanceof DataTransfer.Send send) {
      Download d = send.download();
      String sha256 = d.sha256();
      d.close();
      logDownload(t.login(), d, sha256, "ok");
      control.reply(226, "sent " + d.virtualPath() + "; SHA-256 " + sha256);
    } else if (transfer instanceof DataTransfer.Receive receive) {
      uploads.received(t, receive.upload());
      return;
    }
    done(t.login());
  }

  @Override
  public void failed(DataTransfer transfer, DataFailure failure) {
    lost(transfer, failure.why());
    if (control.current() instanceof Transferring t) {
      control.reply(failure.code(), failure.reply());
      done(t.login());
    }
  }

  /** Releases what a transfer holds: a download's file, an upload's partial (kept resumable). */
  private void lost(DataTransfer transfer, String why) {
    if (!(control.current() instanceof Transferring t)) return;
    if (transfer instanceof DataTransfer.Send send) {
      send.download().close();
      logDownload(t.login(), send.download(), null, "disconnected");
    } else if (transfer instanceof DataTransfer.Receive receive) {
      uploads.lost(receive.upload());
    }
    log.info("{}: {}", peer.address(), LogText.of(why));
  }

  /** The control connection closed: the data connection goes with it, and what it held. */
  void close() {
    if (active != null) {
      DataTransfer held = active.abandon();
      if (held != null) lost(held, "control connection closed during a transfer");
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

  private void logDownload(Login login, Download download, String sha256, String result) {
    long used = services.uploads().usedNow(login.user());
    services.transfers().record(new TransferLog.Entry(login.user(), peer.address(), "download",
        download.virtualPath(), download.sent(), download.offset(), sha256, sha256 != null,
        download.seconds(), used, used, result));
  }
}
