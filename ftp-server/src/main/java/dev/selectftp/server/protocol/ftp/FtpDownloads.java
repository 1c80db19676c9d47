package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.core.Login;
import dev.selectftp.server.core.RefusedTransfers;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.protocol.ftp.FtpState.Transferring;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.transfer.Download;

/**
 * The FTP command that sends a file: RETR, from REST's offset (0 without one). A small file of unknown hash is
 * hashed first (once, however many ask) so it goes out zero-copy; after REST the download finds its offset
 * off the loop; the 226 names the whole file's SHA-256 either way. Loop-thread confined.
 */
final class FtpDownloads {
  private final FtpControl control;
  private final FtpServices services;
  private final FtpTransfers transfers;
  private final String address;
  private final FtpStoreWaits waits;

  FtpDownloads(FtpControl control, FtpServices services, FtpTransfers transfers, Peer peer,
      FtpStoreWaits waits) {
    this.waits = waits;
    this.control = control;
    this.services = services;
    this.transfers = transfers;
    this.address = peer.address();
  }

  /** RETR {@code path}, from REST's offset. */
  FtpState retrieve(Ready ready, String path) {
    Login login = ready.login();
    long from = transfers.takeRestart();
    return waits.<Download>await(ready, "RETR",
        done -> services.downloads().open(login.home(), login.cwd(), path, (download, failure) -> {
          if (failure != null) transfers.logRefused(login, RefusedTransfers.DOWNLOAD, path, failure);
          done.accept(download, failure);
        }),
        download -> opened(ready, path, from, download),
        Download::close); // the control connection went away while the file was opened
  }

  /** Once the file is open: the data connection, then the 150 and the bytes. */
  private FtpState opened(Ready ready, String path, long from, Download download) throws Refused {
    Login login = ready.login();
    if (from > download.size()) {
      download.close();
      Refused past = new Refused(Refusal.BAD_REQUEST, "REST " + from + " is past the end (" + download.size()
          + " bytes)");
      transfers.logRefused(login, RefusedTransfers.DOWNLOAD, path, past);
      throw past;
    }
    DataChannel channel = transfers.takeData();
    if (channel == null) {
      download.close();
      return ready;
    }
    Transferring t = transfers.begin(login, "sending " + download.virtualPath() + " (" + download.size() + " bytes)");
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
          log(login, download, null, RefusedTransfers.resultOf(Refusal.INTERNAL));
          transfers.refuse(failure);
          transfers.done(login);
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
    channel.start(new DataTransfer.Send(download), transfers);
  }

  /** Every byte went out: the 226 names the file's SHA-256. The caller then ends the transfer. */
  void sent(Transferring t, Download download) {
    String sha256 = download.sha256();
    download.close();
    log(t.login(), download, sha256, "ok");
    control.reply(226, "sent " + download.virtualPath() + "; SHA-256 " + sha256);
  }

  /** The data or control connection failed, the store failed, or ABOR cut it: the file is let go. */
  void lost(Transferring t, Download download, String result) {
    download.close();
    log(t.login(), download, null, result);
  }

  private void log(Login login, Download download, String sha256, String result) {
    services.transfers().download(login.user(), address, download, sha256,
        services.uploads().usedNow(login.user()), result);
  }
}
