package dev.selectftp.server.testing;

import dev.selectftp.common.ScramCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * N real server nodes, each its own JVM (so a test can {@code kill -9} one) with its own data folder, sharing
 * one {@link ThrowawayPostgres} for the accounts, behind one {@link ThrowawayHaproxy} for both doors. Each node
 * gets its own FTP passive range and advertises the balancer's address in PASV, and trusts the balancer's PROXY
 * headers ({@link ThrowawayHaproxy#NODE_OPTIONS}), which name each client. The homes are in each node's
 * data folder, or with {@link #onS3} under {@value #S3_PREFIX} on one {@link ThrowawayS3} shared by every node.
 * {@link #close} stops the balancer and the nodes and deletes their folders.
 */
public final class ServerNodes implements AutoCloseable {
  private static final Duration START_WAIT = Duration.ofSeconds(60);
  /** The key prefix of the homes of nodes started by {@link #onS3}: user U's files are keys {@code nodes/U/...}. */
  public static final String S3_PREFIX = "nodes";

  /**
   * One node process: its ports on {@link ThrowawayHaproxy#NODE_ADDRESS}, its data folder, and what it was
   * started with (its command line and the environment variables added to the test's), to start it again.
   */
  public record Node(Process process, ThrowawayHaproxy.Node ports, Path data, Path output, List<String> command,
      Map<String, String> environment) {
    /** SIGKILL: no shutdown hook, nothing flushed. */
    public void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  private final Path base;
  private final List<Node> nodes;
  private final ThrowawayHaproxy balancer;

  private ServerNodes(Path base, List<Node> nodes, ThrowawayHaproxy balancer) {
    this.base = base;
    this.nodes = nodes;
    this.balancer = balancer;
  }

  /**
   * Starts {@code count} nodes with {@code --accounts} on {@code pg} and the
   * balancer in front of them; {@code options} are added to every node's command line.
   */
  public static ServerNodes start(ThrowawayPostgres pg, int count, List<String> options)
      throws IOException, InterruptedException {
    return start(pg, count, options, Map.of());
  }

  /**
   * Starts {@code count} nodes on {@code pg} whose homes are all on {@code s3}: {@code --storage
   * s3://BUCKET/}{@value #S3_PREFIX} {@code --s3-endpoint URL}, and the store's keys in the standard AWS
   * variables of each node's environment, as an operator gives them.
   */
  public static ServerNodes onS3(ThrowawayPostgres pg, ThrowawayS3 s3, int count)
      throws IOException, InterruptedException {
    return start(pg, count, s3.serverOptions(S3_PREFIX), ThrowawayS3.environment());
  }

  /** {@link #start(ThrowawayPostgres, int, List)} with {@code environment} added to every node's (JVM options too). */
  public static ServerNodes start(ThrowawayPostgres pg, int count, List<String> options,
      Map<String, String> environment) throws IOException, InterruptedException {
    ThrowawayHaproxy.requireBinary();
    Path base = Files.createTempDirectory("selectftp-nodes-");
    List<Node> nodes = new CopyOnWriteArrayList<>();
    try {
      for (int i = 1; i <= count; i++) nodes.add(startNode(pg, base.resolve("node" + i), options, environment));
      for (Node n : nodes) awaitAccepting(n);
      ThrowawayHaproxy balancer = ThrowawayHaproxy.start(nodes.stream().map(Node::ports).toList());
      return new ServerNodes(base, nodes, balancer);
    } catch (IOException | RuntimeException | InterruptedException e) {
      new ServerNodes(base, nodes, null).close();
      throw e;
    }
  }

  private static Node startNode(ThrowawayPostgres pg, Path data, List<String> options,
      Map<String, String> environment) throws IOException {
    Files.createDirectories(data);
    int first = ThrowawayHaproxy.freeRange();
    ThrowawayHaproxy.Node ports = new ThrowawayHaproxy.Node(ThrowawayHaproxy.freePort(), ThrowawayHaproxy.freePort(),
        first, first + ThrowawayHaproxy.PASSIVE_PORTS - 1);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "dev.selectftp.server.Main", "--bind", ThrowawayHaproxy.NODE_ADDRESS,
        "--port", Integer.toString(ports.selectFtpPort()), "--ftp-port", Integer.toString(ports.ftpPort()),
        "--ftp-passive-ports", ports.passiveFirst() + "-" + ports.passiveLast(),
        "--ftp-public-address", ThrowawayHaproxy.ADDRESS, "--data", data.toString(),
        "--log-dir", data.resolve("logs").toString(), "--accounts", pg.url(), "--tls", "off",
        "--iterations", Integer.toString(ScramCredentials.MIN_ITERATIONS),
        // The balancer's PROXY headers name each client, but the tests' clients all come from 127.0.0.1.
        "--max-per-address", "1000", "--registrations-per-address", "1000000",
        "--registrations-per-hour", "1000000"));
    command.addAll(ThrowawayHaproxy.NODE_OPTIONS);
    command.addAll(options);
    return launch(new Node(null, ports, data, data.resolve("process.out"), List.copyOf(command), environment));
  }

  private static Node launch(Node n) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(n.command()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(n.output().toFile()));
    builder.environment().putAll(n.environment());
    return new Node(builder.start(), n.ports(), n.data(), n.output(), n.command(), n.environment());
  }

  /**
   * Starts a node that was killed again, on the same ports and data folder, and returns it once it accepts
   * (the balancer takes it back after its next good check).
   */
  public Node restart(Node killed) throws IOException, InterruptedException {
    if (killed.process().isAlive()) throw new IllegalStateException("the node is still running");
    Node again = launch(killed);
    nodes.set(nodes.indexOf(killed), again);
    awaitAccepting(again);
    return again;
  }

  private static void awaitAccepting(Node n) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!n.process().isAlive()) throw new IOException("node exited: " + Files.readString(n.output()));
      try (Socket s = new Socket(InetAddress.getByName(ThrowawayHaproxy.NODE_ADDRESS), n.ports().ftpPort())) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("node did not accept within " + START_WAIT + ": " + Files.readString(n.output()));
  }

  public List<Node> nodes() {
    return nodes;
  }

  public ThrowawayHaproxy balancer() {
    return balancer;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (balancer != null) balancer.close();
    for (Node n : nodes) {
      n.process().destroy();
      if (!n.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) n.kill();
    }
    try (Stream<Path> all = Files.walk(base)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
