package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.net.Peer;
import java.util.ArrayList;
import java.util.List;

/**
 * STAT without an argument (RFC 959): the session's status over the control connection as a 211 reply,
 * answered during a transfer too. Says who is logged in, whether the control connection is under TLS, the
 * transfer parameters, and the transfer in progress.
 */
final class FtpStatus {
  private FtpStatus() {}

  /** @param transfer what the transfer in progress is (its 150 text), or null */
  static void reply(Peer peer, FtpState state, String transfer) {
    List<String> lines = new ArrayList<>();
    lines.add("connected from " + peer.address());
    if (state instanceof FtpState.Ready r) {
      lines.add("logged in as " + r.login().user());
    } else if (state instanceof FtpState.Transferring t) {
      lines.add("logged in as " + t.login().user());
    } else if (state instanceof FtpState.Working w) {
      lines.add("logged in as " + w.login().user());
    } else {
      lines.add("not logged in");
    }
    lines.add(peer.channelBinding() != null ? "control connection under TLS" : "control connection in plain text");
    lines.add("TYPE I (TYPE A is accepted; bytes are sent unchanged), MODE S, STRU F");
    lines.add(transfer != null ? "in progress: " + transfer : "no transfer in progress");
    peer.send(Replies.multi(211, "SelectFTP status", lines, "End of status"));
  }
}
