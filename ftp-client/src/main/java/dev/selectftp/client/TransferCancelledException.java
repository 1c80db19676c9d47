package dev.selectftp.client;

import java.io.IOException;

/**
 * A transfer stopped because {@link FtpClient#abort()} was called (Ctrl-C in the console). The connection
 * is closed; what was moved so far is kept for a resume: the server's hidden partial for an upload, the
 * local {@code .NAME.selectftp-part} for a download.
 */
public final class TransferCancelledException extends IOException {
  public TransferCancelledException(IOException cause) {
    super("transfer cancelled", cause);
  }
}
