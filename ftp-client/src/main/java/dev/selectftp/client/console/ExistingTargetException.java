package dev.selectftp.client.console;

import java.io.IOException;

/**
 * A one-shot {@code get} found its local file already there and no flag said what to do with it. Nothing
 * was sent or written; like a refusal by the server it exits {@link ExitCode#REFUSED}, as a one-shot
 * {@code put} onto an existing remote name does.
 */
final class ExistingTargetException extends IOException {
  ExistingTargetException(String message) {
    super(message);
  }
}
