package dev.selectftp.testing;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this JVM (and so every process it starts) can receive SIGINT at all. A build started from a shell
 * without job control in the background ({@code nohup mvn verify &}) inherits SIGINT ignored; the JVM then
 * installs no handler for it, a child's Ctrl-C does nothing, and the Ctrl-C tests cannot tell a broken client
 * from an environment that hides the signal. They skip there instead of failing.
 */
public final class Sigint {
  /** SIGINT is signal 2: bit 1 of the {@code SigIgn} mask in {@code /proc/self/status}. */
  private static final long SIGINT_BIT = 1L << (2 - 1);

  private Sigint() {}

  /** Skips the calling test when SIGINT is ignored for this process (Linux; elsewhere it never skips). */
  public static void assumeDeliverable() throws IOException {
    assumeFalse(ignored(), "SIGINT is ignored for this build's processes (started by nohup or '&' without job control)");
  }

  static boolean ignored() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) return false;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & SIGINT_BIT) != 0;
      }
    }
    return false;
  }
}
