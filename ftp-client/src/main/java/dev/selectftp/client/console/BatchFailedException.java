package dev.selectftp.client.console;

import java.io.IOException;

/**
 * A command over many files finished, but some of them failed (each was reported as it happened), or a
 * pattern matched nothing. Like a refusal by the server it exits {@link ExitCode#REFUSED}: the connection
 * and the other files were fine.
 */
final class BatchFailedException extends IOException {
  BatchFailedException(String message) {
    super(message);
  }
}
