package dev.selectftp.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code deploy/cluster.sh} of this checkout and the programs a user runs against the cluster it starts
 * ({@code bin/ftp-client}, curl, the printed command lines), each as its own process from the repository root.
 *
 * <p>Every process gets a private state folder ({@code SELECTFTP_CLUSTER}) and pointer file
 * ({@code SELECTFTP_CLUSTER_POINTER}), so a user's own cluster and its {@code /tmp/selectftp-cluster.state} are
 * never touched, and {@code SELECTFTP_NO_BUILD=1}: the jars are the ones this {@code mvn verify} just packaged,
 * where a nested Maven build would race the running one. The client keeps its {@code ~/.selectftp} and its
 * log in the work folder. {@link #close} runs {@code down} when the pointer is still there (a failed assertion
 * in the middle) and deletes the private folder.
 */
final class ClusterScript implements AutoCloseable {
  /** Longer than any one step takes on a loaded machine (an {@code up} is 5-15 s). */
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

  /** A finished process: its exit status and what it printed. */
  record Run(int exit, String out, String err) {
    /** Both streams, for assertion messages. */
    String printed() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  final Path root;
  /** The private folder: state, pointer, the client's home, logs and files. */
  private final Path dir;
  final Path state;
  final Path pointer;
  final Path files;
  private final AtomicInteger runs = new AtomicInteger();
  private final Set<ProcessHandle> everStarted = new LinkedHashSet<>();
  private List<ProcessHandle> started = List.of();

  private ClusterScript(Path root, Path dir) throws IOException {
    this.root = root;
    this.dir = dir;
    this.state = dir.resolve("state");
    this.pointer = dir.resolve("cluster.state");
    this.files = Files.createDirectories(dir.resolve("files"));
  }

  /**
   * A private folder under the system's temp folder, readable by all: the script runs PostgreSQL as user
   * {@code postgres} when started as root, which must reach the state folder inside.
   */
  static ClusterScript privateTo(Path root) throws IOException {
    Path dir = Files.createTempDirectory("selectftp-cluster-it-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new ClusterScript(root, dir);
  }

  /** The checkout this test runs in: the first folder up from the working directory holding the script. */
  static Path checkout() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("deploy/cluster.sh"))) return p;
    }
    throw new AssertionError("no deploy/cluster.sh above " + Path.of("").toAbsolutePath());
  }

  /** {@code up}; after a successful one, {@link #started} holds the processes of the new cluster. */
  Run up() throws IOException, InterruptedException {
    Run up = run(List.of(root.resolve("deploy/cluster.sh").toString(), "up"));
    if (up.exit() == 0) {
      started = ClusterProcesses.of(state);
      everStarted.addAll(started);
    }
    return up;
  }

  /** The processes of the cluster the last successful {@link #up} started. */
  List<ProcessHandle> started() {
    return started;
  }

  Run down() throws IOException, InterruptedException {
    return run(List.of(root.resolve("deploy/cluster.sh").toString(), "down"));
  }

  /** {@code bin/ftp-client -s 127.0.0.1 -P port -u user -p password args...} with {@link #files} as local folder. */
  Run client(int port, String user, String password, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(root.resolve("bin/ftp-client").toString(), "-s", "127.0.0.1",
        "-P", Integer.toString(port), "-u", user, "-p", password, "--local-dir", files.toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  /** curl, silent but for errors, with a time limit of its own. */
  Run curl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60"));
    command.addAll(List.of(args));
    return run(command);
  }

  /** A command line as printed for a user to paste, run by bash from the repository root. */
  Run shell(String line) throws IOException, InterruptedException {
    return run(List.of("bash", "-c", line));
  }

  private Run run(List<String> command) throws IOException, InterruptedException {
    int n = runs.incrementAndGet();
    Path out = dir.resolve("run-" + n + ".out");
    Path err = dir.resolve("run-" + n + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
        // Files, not pipes: a daemon the script leaves behind must not hold the test's pipe open.
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = builder.environment();
    env.put("SELECTFTP_CLUSTER", state.toString());
    env.put("SELECTFTP_CLUSTER_POINTER", pointer.toString());
    env.put("SELECTFTP_NO_BUILD", "1");
    env.put("SELECTFTP_LOG_DIR", dir.resolve("client-logs").toString());
    env.put("JAVA_OPTS", "-Duser.home=" + dir.resolve("home"));
    long started = System.nanoTime();
    Process p = builder.start();
    boolean ended = p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    System.out.printf("[cluster] %.1f s  %s%n", (System.nanoTime() - started) / 1e9,
        Path.of(command.get(0)).getFileName() + " ... " + command.get(command.size() - 1));
    if (!ended) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within " + COMMAND_TIMEOUT + ":\n"
          + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * Copies the cluster's logs (each node's {@code logs/} and {@code process.out}, HAProxy's, S3Proxy's and
   * PostgreSQL's) to {@code target}, for a failure to be read after {@code down} deleted the state folder.
   */
  void keepLogs(Path target) throws IOException {
    if (!Files.isDirectory(state)) return;
    try (Stream<Path> all = Files.walk(state)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".log") || name.endsWith(".out")) {
          Path copy = target.resolve(state.relativize(p));
          Files.createDirectories(copy.getParent());
          Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    for (int n = 1; n <= runs.get(); n++) {
      for (String stream : List.of(".out", ".err")) {
        Path run = dir.resolve("run-" + n + stream);
        if (Files.exists(run)) Files.copy(run, target.resolve(run.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /**
   * {@code down} if a cluster is still up (the test failed half-way); SIGKILL to whatever {@code up} started
   * that still runs (a broken {@code down}), so no test leaves processes behind on the machine; then the
   * private folder goes.
   */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (Files.exists(pointer)) {
        Run down = down();
        if (down.exit() != 0) System.err.println("[cluster] down after a failure: " + down.printed());
      }
    } finally {
      for (ProcessHandle left : everStarted) {
        if (ClusterProcesses.running(left)) {
          System.err.println("[cluster] killing what down left: " + ClusterProcesses.describe(left));
          left.destroyForcibly();
        }
      }
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }
}
