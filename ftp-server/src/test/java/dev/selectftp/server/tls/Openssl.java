package dev.selectftp.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the real {@code openssl} command line, the tool operators and certbot's docs use to make keys. */
final class Openssl {
  private static final long TIMEOUT_SECONDS = 30;

  private Openssl() {}

  /** Skips the calling test on a machine without openssl (it is on the CI image). */
  static void assumeInstalled() {
    boolean present;
    try {
      present = new ProcessBuilder("openssl", "version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    Assumptions.assumeTrue(present, "openssl not installed");
  }

  /** Runs {@code openssl args...} in {@code dir}, asserts success, returns stdout and stderr together. */
  static String run(Path dir, String... args) throws Exception {
    Result result = tryRun(dir, null, args);
    assertEquals(0, result.exit(), () -> "openssl " + String.join(" ", args) + " failed:\n" + result.output());
    return result.output();
  }

  record Result(int exit, String output) {}

  /** Runs {@code openssl args...} with {@code input} (or nothing) on stdin, whatever the outcome. */
  static Result tryRun(Path dir, String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().write(input == null ? new byte[0] : input.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl " + String.join(" ", args) + " did not finish");
    }
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** An EC P-256 key (PKCS#8) and a self-signed certificate for {@code cn}, as {@code openssl req} makes them. */
  static void ecPair(Path dir, String cert, String key, String cn) throws Exception {
    run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
        "-out", cert, "-days", "30", "-subj", "/CN=" + cn);
  }

  /** What {@code openssl x509 -noout -fingerprint -sha256} prints after the {@code =}. */
  static String fingerprint(Path dir, String cert) throws Exception {
    String line = run(dir, "x509", "-in", cert, "-noout", "-fingerprint", "-sha256").strip();
    return line.substring(line.indexOf('=') + 1);
  }
}
