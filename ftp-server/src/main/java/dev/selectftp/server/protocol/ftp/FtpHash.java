package dev.selectftp.server.protocol.ftp;

import dev.selectftp.common.LogText;
import dev.selectftp.server.core.Checksums;
import dev.selectftp.server.core.Login;
import dev.selectftp.server.net.Peer;
import dev.selectftp.server.protocol.ftp.FtpState.Ready;
import dev.selectftp.server.refusal.Refused;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HASH (draft-bryan-ftpext-hash-02) and XSHA256 (as Pure-FTPd and ProFTPD's mod_digest): a file's SHA-256
 * over the control connection. A hash already known (an upload's, hashed while it arrived, or one computed
 * for an earlier download: the shared hash cache, valid while the file's size, time and inode are unchanged)
 * is answered at once; otherwise the file is hashed on a helper thread ({@code FileHashes}, one job per file
 * however many ask, through the core's
 * {@code Checksums}, the same path as the SelectFTP door's {@code hash} request) while this connection's input waits and the loop serves everyone else.
 *
 * <p>SHA-256 is the only algorithm (OPTS HASH anything else: 504). Ranges are not offered: RANG is not
 * implemented, and REST does not apply to HASH, so the reply always covers the whole file.
 */
final class FtpHash {
  private static final Logger log = LoggerFactory.getLogger(FtpHash.class);
  static final String ALGORITHM = "SHA-256";
  /** FEAT's line: the one algorithm, selected. */
  static final String FEATURE = "HASH " + ALGORITHM + "*";

  private final FtpControl control;
  private final FtpServices services;
  private final Peer peer;
  private final FtpStoreWaits waits;

  FtpHash(FtpControl control, FtpServices services, Peer peer, FtpStoreWaits waits) {
    this.waits = waits;
    this.control = control;
    this.services = services;
    this.peer = peer;
  }

  /** OPTS HASH [algorithm]: names the selected algorithm; only SHA-256 can be selected. */
  void options(String arg) {
    String wanted = arg.strip().toUpperCase(Locale.ROOT);
    if (wanted.isEmpty() || wanted.equals(ALGORITHM)) {
      control.reply(200, ALGORITHM);
    } else {
      control.reply(504, "only " + ALGORITHM + " is offered; it stays selected");
    }
  }

  /**
   * HASH path ({@code draft} true): {@code 213 SHA-256 0-<size-1> <hex> <path>}; XSHA256 path: {@code 213 <hex>}.
   * A folder or a missing file is 550.
   */
  FtpState hash(Ready ready, String path, boolean draft) {
    Login login = ready.login();
    return waits.<Checksums.Target>await(ready, draft ? "HASH" : "XSHA256",
        done -> services.checksums().locate(login.home(), login.cwd(), path, done), // folders: IS_A_DIRECTORY
        target -> located(ready, target, draft));
  }

  private FtpState located(Ready ready, Checksums.Target target, boolean draft) {
    Login login = ready.login();
    String shown = target.virtualPath();
    long size = target.size();
    if (target.knownSha256() != null) {
      answer(draft, size, target.knownSha256(), shown);
      return ready;
    }
    peer.pauseInput();
    services.checksums().compute(login.home(), target, (sha256, failure) -> {
      if (!peer.isOpen()) return;
      if (failure instanceof Refused r) {
        control.reply(FtpReplies.codeOf(r.code()), r.getMessage());
      } else if (failure != null) {
        log.warn("{}: hashing {} failed: {}", peer.address(), LogText.of(shown), LogText.of(failure.toString()));
        control.reply(451, "server error; see the server log");
      } else {
        answer(draft, size, sha256, shown);
      }
      peer.resumeInput();
    });
    return ready;
  }

  private void answer(boolean draft, long size, String sha256, String shown) {
    if (draft) {
      // The range's end is the last byte's offset; an empty file is written 0-0, as no range can be empty.
      control.reply(213, ALGORITHM + " 0-" + Math.max(0, size - 1) + " " + sha256 + " " + shown);
    } else {
      control.reply(213, sha256);
    }
  }
}
