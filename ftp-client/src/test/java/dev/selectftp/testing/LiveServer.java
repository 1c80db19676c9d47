package dev.selectftp.testing;

import dev.selectftp.client.FtpClient;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one server fixture of the client's tests: the real {@link FtpServer} on a loopback port (0) over a
 * fresh temporary data folder, started before each test and closed (folder deleted) after it. Register it
 * as a field:
 *
 * <pre>{@code @RegisterExtension final LiveServer server = new LiveServer();}</pre>
 *
 * <p>As a {@code static} field it is one server for the whole class instead. It then connects real {@link FtpClient}s and knows where the server keeps a user's files. Tests that
 * stop and start the server themselves use {@link #notStarted()} and {@link #start()} / {@link #restart()}.
 */
public final class LiveServer implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
    AfterAllCallback {
  /** The account every new data folder is seeded with, holding demo files. */
  public static final String DEMO_USER = "xiaoyu";
  public static final char[] DEMO_PASSWORD = "123456".toCharArray();
  /** Connect and reply timeout of the clients made here. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final UnaryOperator<ServerConfig> configure;
  private final boolean startBeforeEach;
  private Path dataDir;
  private FtpServer server;
  /** Registered on a static field: set up once for the class, not per test. */
  private boolean perClass;

  /** A server with the test defaults (fast PBKDF2, port 0), started before each test. */
  public LiveServer() {
    this(UnaryOperator.identity(), true);
  }

  private LiveServer(UnaryOperator<ServerConfig> configure, boolean startBeforeEach) {
    this.configure = configure;
    this.startBeforeEach = startBeforeEach;
  }

  /** A server whose new accounts get {@code quotaBytes}. */
  public static LiveServer withDefaultQuota(long quotaBytes) {
    return new LiveServer(config -> config.withDefaultQuotaBytes(quotaBytes), true);
  }

  /** A data folder only; the test calls {@link #start()} when it wants the server. */
  public static LiveServer notStarted() {
    return new LiveServer(UnaryOperator.identity(), false);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    perClass = true;
    setUp();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    if (!perClass) setUp();
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (!perClass) tearDown();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    tearDown();
  }

  private void setUp() throws IOException {
    dataDir = Files.createTempDirectory("selectftp-test-data");
    if (startBeforeEach) start();
  }

  private void tearDown() throws IOException {
    try {
      if (server != null) server.close();
    } finally {
      server = null;
      deleteRecursively(dataDir);
    }
  }

  /** Starts the server over the data folder (closing a running one first) and returns it. */
  public FtpServer start() throws IOException {
    return start(UnaryOperator.identity());
  }

  /** Starts the server with {@code more} settings on top of this fixture's, over the same data folder. */
  public FtpServer start(UnaryOperator<ServerConfig> more) throws IOException {
    if (server != null) server.close();
    server = null;
    server = FtpServer.start(more.apply(configure.apply(ServerConfig.forTests(dataDir))));
    return server;
  }

  /** Stops the server at once (partials stay) and starts a new one over the same data folder. */
  public FtpServer restart() throws IOException {
    return start();
  }

  /** Like {@link #restart()}, with {@code more} settings for the new server. */
  public FtpServer restart(UnaryOperator<ServerConfig> more) throws IOException {
    return start(more);
  }

  /** The running server. */
  public FtpServer server() {
    if (server == null) throw new IllegalStateException("the server is not started");
    return server;
  }

  /** Graceful shutdown of the running server, as SIGTERM does. */
  public void shutdown(Duration grace) {
    server().shutdown(grace);
  }

  public int port() {
    return server().port();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** {@code <data>/home/<user>}, where the server keeps the user's files. */
  public Path home(String user) {
    return dataDir.resolve("home").resolve(user);
  }

  public FtpClient connect() throws IOException {
    return FtpClient.connect("127.0.0.1", port(), TIMEOUT);
  }

  public FtpClient login(String user, char[] password) throws IOException {
    FtpClient client = connect();
    try {
      client.login(user, password);
      return client;
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  public FtpClient loginDemo() throws IOException {
    return login(DEMO_USER, DEMO_PASSWORD);
  }

  /** Registers {@code user} (registration does not log in) and returns a logged-in client for it. */
  public FtpClient registerAndLogin(String user, char[] password) throws IOException {
    try (FtpClient client = connect()) {
      client.register(user, password);
    }
    return login(user, password);
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (root == null || !Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
