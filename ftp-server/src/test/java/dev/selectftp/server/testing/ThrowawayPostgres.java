package dev.selectftp.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.accounts.postgres.PostgresUrl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for one test class: {@code initdb} into a temp folder, {@code pg_ctl start} on a
 * free loopback port with trust authentication, one database {@value #DATABASE}; stopped and deleted after the
 * class. Uses the server binaries of Debian's {@code postgresql} package ({@code /usr/lib/postgresql/N/bin});
 * without them every test of the class is skipped. As root the binaries run as the {@code postgres} user
 * (initdb refuses root). Register with {@code @RegisterExtension static final ThrowawayPostgres PG = ...}.
 */
public final class ThrowawayPostgres implements BeforeAllCallback, AfterAllCallback {
  public static final String DATABASE = "selectftp";
  private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");
  private static final String OS_USER = "postgres";
  private static final long COMMAND_SECONDS = 120;

  private Path bin;
  private Path root;
  private int port;
  private boolean running;

  /** The newest installed {@code /usr/lib/postgresql/N/bin} holding initdb, if any. */
  public static Optional<Path> binaries() {
    if (!Files.isDirectory(DEBIAN_BINARIES)) return Optional.empty();
    try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Optional<Path> found = binaries();
    assumeTrue(found.isPresent(), "no PostgreSQL server binaries in " + DEBIAN_BINARIES + " (Debian package postgresql)");
    bin = found.get();
    UserPrincipal owner = asRoot() ? osUser() : null;
    assumeTrue(!asRoot() || owner != null, "initdb refuses root and there is no " + OS_USER + " user to run it as");
    root = Files.createTempDirectory("selectftp-pg-");
    Files.createDirectories(socketDir());
    if (owner != null) {
      Files.setOwner(root, owner);
      Files.setOwner(socketDir(), owner);
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", dataDir().toString(), "-A", "trust", "-U", OS_USER,
        "-E", "UTF8", "--locale=C", "--no-sync"));
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    start();
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), OS_USER, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (root == null) return;
    try {
      if (running) run(pgCtl("stop", "-m", "immediate"));
    } finally {
      deleteTree(root);
      root = null;
    }
  }

  /** Starts the server (again, after {@link #stop}) on the same port and data. */
  public void start() throws IOException, InterruptedException {
    // fsync off: the cluster lives for one test class; crash safety of the real server is not under test here.
    run(pgCtl("start", "-w", "-t", "60", "-l", root.resolve("server.log").toString(), "-o",
        "-p " + port + " -k " + socketDir() + " -c listen_addresses=127.0.0.1 -c fsync=off"));
    running = true;
  }

  /** Stops the server at once, as a crash or a cut network would look to the nodes. */
  public void stop() throws IOException, InterruptedException {
    run(pgCtl("stop", "-w", "-m", "immediate"));
    running = false;
  }

  public int port() {
    return port;
  }

  /** The accounts URL as the operator writes it for {@code --accounts}. */
  public String url() {
    return "postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=" + OS_USER;
  }

  public PostgresUrl parsedUrl() {
    return PostgresUrl.parse(url(), Map.of());
  }

  /** Runs SQL as the superuser on the test database (to look at rows or break things on purpose). */
  public void execute(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A superuser connection to the test database. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(DATABASE), OS_USER, "");
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private Path dataDir() {
    return root.resolve("data");
  }

  private Path socketDir() {
    return root.resolve("sock");
  }

  private List<String> pgCtl(String... args) {
    List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static UserPrincipal osUser() {
    try {
      return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void run(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asRoot()) full.addAll(List.of("runuser", "-u", OS_USER, "--"));
    full.addAll(command);
    Path output = Files.createTempFile("selectftp-pg-cmd-", ".log");
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
          .directory(root.toFile()).start();
      if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", full));
      }
      if (p.exitValue() != 0) {
        throw new IOException("exit " + p.exitValue() + " from " + String.join(" ", full) + ":\n"
            + Files.readString(output, StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
