package dev.selectftp.client.console;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.TransferCancelledException;
import java.io.IOException;

/**
 * A transfer stopped half-way because its connection was lost (the server cut it, say). What moved is kept
 * (the server's partial, or the local one); the message says how far it got and the command that resumes
 * it: {@code get big.iso stopped at 5.0 MiB of 12.0 MiB (server closed the connection ...); to resume, run:
 * ftp-client -u xiaoyu get big.iso}.
 */
final class TransferCutException extends IOException {
  private TransferCutException(String message, IOException cause) {
    super(message, cause);
  }

  /**
   * {@code e} as a cut transfer when it is one: the transfer had started ({@code bar} heard of it) and the
   * connection is gone. A refusal, a Ctrl-C or a failure before the first byte is returned unchanged.
   *
   * @param resume the shell command that resumes the transfer ({@link Rerun#command})
   */
  static IOException ifCut(IOException e, FtpClient client, ProgressBar bar, String resume) {
    if (e instanceof FtpException || e instanceof TransferCancelledException || client.isOpen()
        || !bar.hasStarted()) {
      return e;
    }
    bar.abandon();
    return new TransferCutException(bar.verb() + " " + bar.name() + " stopped at " + HumanSize.bytes(bar.done())
        + " of " + HumanSize.bytes(bar.total()) + " (" + Errors.describe(e) + "); to resume, run: " + resume, e);
  }
}
