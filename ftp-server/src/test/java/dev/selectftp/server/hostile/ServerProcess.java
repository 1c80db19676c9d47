package dev.selectftp.server.hostile;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The real server in its own JVM, so a test can kill it with SIGKILL and start it again on the same data. */
final class ServerProcess implements AutoCloseable {
  final Process process;
  final int port;
  final Path output;

  private ServerProcess(Process process, int port, Path output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  static ServerProcess start(Path dataDir, Path logDir) throws IOException, InterruptedException {
    return start(dataDir, logDir, System.getProperty("java.class.path"), List.of(), List.of());
  }

  /**
   * The server as installed: the classpath without the test classes, so its own {@code logback.xml} (not
   * the tests' {@code logback-test.xml}) decides where the logs go; {@code jvmOptions} before the main class,
   * {@code options} after the usual ones (a later option wins).
   */
  static ServerProcess startInstalled(Path dataDir, Path logDir, List<String> jvmOptions, List<String> options)
      throws IOException, InterruptedException {
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
    return start(dataDir, logDir, classpath, jvmOptions, options);
  }

  private static ServerProcess start(Path dataDir, Path logDir, String classpath, List<String> jvmOptions,
      List<String> options) throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.createDirectories(logDir);
    Path output = logDir.resolve("process-" + System.nanoTime() + ".out");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, "dev.selectftp.server.Main",
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--data", dataDir.toString(),
        "--log-dir", logDir.toString(), "--iterations", "4096", "--ftp-port", "0",
        // Tests register many accounts from loopback; the default caps are for real deployments (issue 9).
        "--registrations-per-address", "1000000", "--registrations-per-hour", "1000000"));
    command.addAll(options);
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    ServerProcess server = new ServerProcess(p, port, output);
    server.awaitAccepting(Duration.ofSeconds(30));
    return server;
  }

  private void awaitAccepting(Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("server process exited with " + process.exitValue() + ": " + Files.readString(output));
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IOException("server did not accept within " + within + ": " + Files.readString(output));
  }

  /** SIGTERM, as {@code systemctl stop} or {@code kill PID} sends it; returns at once. */
  void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hook, no flush, no close. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }
}
