package dev.selectftp.server;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.files.Sizes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar ftp-server.jar [options]}: serves until SIGTERM or Ctrl-C. */
@Command(name = "ftp-server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "SelectFTP server: one event-loop thread serving many users.",
    sortOptions = false)
public final class Main implements Callable<Integer> {
  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String bind;

  @Option(names = "--port", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_PORT,
      description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
      description = "Users file and homes (default ${DEFAULT-VALUE}); a fresh one gets the demo user.")
  Path data;

  @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = "logs",
      description = "Where server.log and transfer.log go (default ${DEFAULT-VALUE}).")
  Path logDir;

  @Option(names = "--default-quota", paramLabel = "SIZE", defaultValue = "1GiB",
      description = "Quota of new users, e.g. 8MiB, 4GiB (default ${DEFAULT-VALUE}).")
  String defaultQuota;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + ScramCredentials.DEFAULT_ITERATIONS,
      description = "PBKDF2 iterations asked of new accounts (default ${DEFAULT-VALUE}, OWASP 2023).")
  int iterations;

  @Option(names = "--max-connections", paramLabel = "N",
      defaultValue = "" + ServerConfig.DEFAULT_MAX_CONNECTIONS, description = "Cap on open connections.")
  int maxConnections;

  @Option(names = "--max-per-address", paramLabel = "N",
      defaultValue = "" + ServerConfig.DEFAULT_MAX_PER_ADDRESS, description = "Cap per client address.")
  int maxPerAddress;

  @Option(names = "--login-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Seconds a connection may take to log in.")
  long loginTimeout;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "Seconds a session may sit idle.")
  long idleTimeout;

  public static void main(String[] args) {
    // Logback reads the log folder when the first logger is made, so set it before anything logs.
    String logDir = findOption(args, "--log-dir", "logs");
    System.setProperty("selectftp.logDir", logDir);
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config = ServerConfig.defaults(data)
        .withBind(new InetSocketAddress(InetAddress.getByName(bind), port))
        .withDefaultQuotaBytes(Sizes.parse(defaultQuota))
        .withIterations(iterations)
        .withConnectionCaps(maxConnections, maxPerAddress)
        .withTimeouts(Duration.ofSeconds(loginTimeout), Duration.ofSeconds(idleTimeout));
    FtpServer server = FtpServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "ftp-shutdown"));
    System.out.printf("SelectFTP listening on %s:%d, data in %s (Ctrl-C stops)%n", bind, server.port(),
        data.toAbsolutePath());
    stopped.await();
    return 0;
  }

  private static String findOption(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(name) && i + 1 < args.length) return args[i + 1];
      if (args[i].startsWith(name + "=")) return args[i].substring(name.length() + 1);
    }
    return fallback;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"SelectFTP server " + (v == null ? "dev" : v)};
    }
  }
}
