package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real FTP client (lftp, rclone, curl, python3) as a process for the interop tests. */
final class ClientProcess {
  /** How long one client run may take before the test calls it hung. */
  static final long CLIENT_SECONDS = 60;

  /** A finished run: exit code and everything it printed (stdout and stderr together). */
  record Result(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  private ClientProcess() {}

  /** True when {@code tool version} runs (a JUnit assumption skips the test otherwise). */
  static boolean installed(String tool, String versionFlag) {
    try {
      Process p = new ProcessBuilder(tool, versionFlag).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs {@code command} in {@code dir} with {@code HOME} there too, so the client's own settings and
   * history (~/.lftp, ~/.config/rclone) neither leak in from the user's nor out into it.
   */
  static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
    // Output goes to a file, not a pipe: a hung client must not block the test in a read past the timeout.
    Path log = Files.createTempFile(dir, "client-", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    boolean exited = p.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS);
    if (!exited) p.destroyForcibly().waitFor();
    String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    Files.delete(log);
    assertTrue(exited, "client hung: " + command + "\n" + output);
    return new Result(p.exitValue(), output);
  }

  private static java.io.File nullFile() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
