package dev.selectftp.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A real HAProxy (Debian's {@code haproxy} package) in TCP mode in front of several server nodes, for both
 * doors: the SelectFTP port and the FTP control port are balanced round robin over the nodes, and each node's
 * own FTP passive port range is forwarded to that node alone, as operators of vsftpd or pure-ftpd do behind a
 * balancer (the nodes advertise the balancer's address in PASV). The balancer listens on {@link #ADDRESS}, the
 * nodes on {@link #NODE_ADDRESS}: a passive range is then the same port numbers on both sides. Config in a
 * temp folder, foreground ({@code -db}), stopped and deleted by {@link #close}. Without the binary the calling
 * test is skipped. Its {@code global} and {@code defaults} sections are {@value #DEFAULTS}, the file
 * {@code deploy/cluster.sh} and {@code bench/nodes.sh} use; every server line sends a PROXY header
 * ({@link Header}) unless asked not to, so the nodes see each client's own address.
 */
public final class ThrowawayHaproxy implements AutoCloseable {
  /** Where clients connect: the balancer. */
  public static final String ADDRESS = "127.0.0.1";
  /** Where the nodes listen (any 127.x.y.z is local on Linux). */
  public static final String NODE_ADDRESS = "127.0.0.2";
  /**
   * Where a test's client comes from when it talks to a node itself, past the balancer: any address but
   * {@link #ADDRESS}, which the nodes trust to begin with a PROXY header ({@link #NODE_OPTIONS}).
   */
  public static final String DIRECT_CLIENT_ADDRESS = "127.0.0.4";
  /** Ports per node's passive range. */
  public static final int PASSIVE_PORTS = 20;
  private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/bin/haproxy"));
  private static final Duration START_WAIT = Duration.ofSeconds(15);
  /** The shared {@code global} and {@code defaults} sections, from the repository's root. */
  public static final String DEFAULTS = "deploy/haproxy-defaults.cfg";
  /** The option on a node's side that trusts this balancer's headers (HAProxy connects from {@link #ADDRESS}). */
  public static final List<String> NODE_OPTIONS = List.of("--proxy-protocol-from", ADDRESS);

  /** What HAProxy sends a node before the client's bytes, on every server line (checks included). */
  public enum Header {
    NONE(""), V1(" send-proxy"), V2(" send-proxy-v2");

    private final String option;

    Header(String option) {
      this.option = option;
    }
  }

  /** One node as the balancer reaches it: its two doors and its passive range (on {@link #NODE_ADDRESS}). */
  public record Node(int selectFtpPort, int ftpPort, int passiveFirst, int passiveLast) {}

  private final Process process;
  private final Path dir;
  private final int selectFtpPort;
  private final int ftpPort;

  private ThrowawayHaproxy(Process process, Path dir, int selectFtpPort, int ftpPort) {
    this.process = process;
    this.dir = dir;
    this.selectFtpPort = selectFtpPort;
    this.ftpPort = ftpPort;
  }

  /** The haproxy binary, if installed. */
  public static Optional<Path> binary() {
    return BINARIES.stream().filter(Files::isExecutable).findFirst();
  }

  /** Skips the calling test (a JUnit assumption) when HAProxy is not installed. */
  public static Path requireBinary() {
    Optional<Path> found = binary();
    assumeTrue(found.isPresent(), "no haproxy binary (Debian package haproxy)");
    return found.get();
  }

  /** Starts the balancer in front of {@code nodes}, sending them v2 headers, and returns once both doors accept. */
  public static ThrowawayHaproxy start(List<Node> nodes) throws IOException, InterruptedException {
    return start(nodes, Header.V2);
  }

  /** Starts the balancer in front of {@code nodes}, each connection to them preceded by {@code header}. */
  public static ThrowawayHaproxy start(List<Node> nodes, Header header) throws IOException, InterruptedException {
    Path binary = requireBinary();
    Path dir = Files.createTempDirectory("selectftp-haproxy-");
    int selectFtp = freePort();
    int ftp = freePort();
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(config, config(nodes, selectFtp, ftp, header), StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(binary.toString(), "-db", "-f", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.out").toFile()).start();
    ThrowawayHaproxy proxy = new ThrowawayHaproxy(p, dir, selectFtp, ftp);
    try {
      proxy.awaitAccepting(selectFtp);
      proxy.awaitAccepting(ftp);
    } catch (IOException | RuntimeException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  /** The configuration: one frontend per door, one per node's passive range; TCP throughout. */
  static String config(List<Node> nodes, int selectFtpPort, int ftpPort, Header header) throws IOException {
    StringBuilder c = new StringBuilder(Files.readString(repositoryFile(DEFAULTS), StandardCharsets.UTF_8));
    door(c, "selectftp", selectFtpPort, nodes.stream().map(Node::selectFtpPort).toList(), header);
    door(c, "ftp", ftpPort, nodes.stream().map(Node::ftpPort).toList(), header);
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      // No port on the server line: HAProxy connects to the port the client connected to, in the node's range.
      c.append("frontend passive").append(i + 1).append("\n  bind ").append(ADDRESS).append(':')
          .append(n.passiveFirst()).append('-').append(n.passiveLast())
          .append("\n  default_backend passive").append(i + 1).append('\n')
          .append("backend passive").append(i + 1).append("\n  server node").append(i + 1).append(' ')
          .append(NODE_ADDRESS).append(header.option).append('\n');
    }
    return c.toString();
  }

  /** {@code relative} under the repository's root: the nearest folder up from the working one that holds it. */
  static Path repositoryFile(String relative) throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) return dir.resolve(relative);
    }
    throw new IOException(relative + " not found above " + Path.of("").toAbsolutePath());
  }

  private static void door(StringBuilder c, String name, int port, List<Integer> nodePorts, Header header) {
    c.append("frontend ").append(name).append("\n  bind ").append(ADDRESS).append(':').append(port)
        .append("\n  default_backend ").append(name).append('\n')
        .append("backend ").append(name).append("\n  balance roundrobin\n");
    for (int i = 0; i < nodePorts.size(); i++) {
      // A node that stopped answering (killed) leaves the rotation after one failed check.
      c.append("  server node").append(i + 1).append(' ').append(NODE_ADDRESS).append(':').append(nodePorts.get(i))
          .append(header.option).append(" check inter 1s fall 1 rise 1\n");
    }
  }

  public int selectFtpPort() {
    return selectFtpPort;
  }

  public int ftpPort() {
    return ftpPort;
  }

  /** A free port on both loopback addresses. */
  public static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
      int port = probe.getLocalPort();
      if (freeOn(NODE_ADDRESS, port, 1)) return port;
    }
    return freePort();
  }

  /** The first port of {@link #PASSIVE_PORTS} consecutive ports free on both addresses, from a random start. */
  public static int freeRange() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(20_000, 30_000); // below Linux's ephemeral ports
      if (freeOn(ADDRESS, first, PASSIVE_PORTS) && freeOn(NODE_ADDRESS, first, PASSIVE_PORTS)) return first;
    }
    throw new IOException("no " + PASSIVE_PORTS + " free consecutive ports");
  }

  private static boolean freeOn(String address, int first, int count) {
    for (int port = first; port < first + count; port++) {
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(address))) {
        s.setReuseAddress(true);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  private void awaitAccepting(int port) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IOException("haproxy exited: " + output());
      try (Socket s = new Socket(InetAddress.getByName(ADDRESS), port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IOException("haproxy did not accept on " + port + ": " + output());
  }

  /** What haproxy printed (warnings, alerts). */
  public String output() throws IOException {
    return Files.readString(dir.resolve("haproxy.out"), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
