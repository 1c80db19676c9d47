package dev.selectftp.server;

import dev.selectftp.common.DefaultAddress;
import dev.selectftp.server.admin.AdminCommand;
import dev.selectftp.server.admin.Failure;
import dev.selectftp.server.admin.Terminal;
import dev.selectftp.server.admin.UserCommand;
import dev.selectftp.server.protocol.ftp.PassivePorts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import dev.selectftp.server.tls.TlsCertificateException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * {@code java -jar ftp-server.jar [options]} serves until SIGTERM or Ctrl-C;
 * {@code java -jar ftp-server.jar user ...} administers accounts. Settings come from defaults, then the
 * optional {@code --config} file, then flags. No logger may be created before {@link #main} has chosen the
 * log folder, so this class has no static logger.
 */
@Command(name = "ftp-server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "SelectFTP server: one event-loop thread serving many users. Serves unless a command is given.",
    subcommands = UserCommand.class,
    sortOptions = false,
    footer = {"", "Every option can also be set in the --config file as \"key = value\", the",
        "key being the option's name without dashes (port = " + ServerConfig.DEFAULT_PORT + ",",
        "default-quota = 4GiB). Flags win over the file; relative paths in the file",
        "are relative to the file's folder.", "",
        "Exit codes: 0 stopped normally, 2 bad option or config file, 3 cannot",
        "start (for example the port is taken), 4 the event loop died (restart it).", "",
        "Accounts: ftp-server user (add | passwd | quota | list | remove | import) --help"})
public final class Main implements Callable<Integer> {
  /** The system property logback.xml reads the log folder from. */
  public static final String LOG_DIR_PROPERTY = "selectftp.logDir";
  /** The system property logback.xml reads the console threshold from. */
  public static final String CONSOLE_LEVEL_PROPERTY = "selectftp.consoleLevel";

  /** The options the {@code user} commands take too; declared first so the help lists them first. */
  @Mixin
  SharedOptions shared;

  @Option(names = "--bind", paramLabel = "ADDR",
      description = "Address to listen on (default " + DefaultAddress.HOST + "; 0.0.0.0 for every interface).")
  String bind;

  @Option(names = "--port", paramLabel = "N",
      description = "TCP port (default " + ServerConfig.DEFAULT_PORT + "; 0 picks a free one).")
  String port;

  @Option(names = "--max-connections", paramLabel = "N",
      description = "Cap on open connections (default " + ServerConfig.DEFAULT_MAX_CONNECTIONS + ").")
  String maxConnections;

  @Option(names = "--max-per-address", paramLabel = "N",
      description = "Cap on connections per client address (default " + ServerConfig.DEFAULT_MAX_PER_ADDRESS
          + ").")
  String maxPerAddress;

  @Option(names = "--login-timeout", paramLabel = "SECONDS",
      description = "Time a connection may take to log in (default 30; also 90s, 2m).")
  String loginTimeout;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS",
      description = "Time a session may sit idle (default 600; also 10m, 1h).")
  String idleTimeout;

  @Option(names = "--partial-max-age", paramLabel = "AGE",
      description = "Partial uploads untouched this long are deleted (default 7d; also 12h).")
  String partialMaxAge;

  @Option(names = "--max-files", paramLabel = "N",
      description = "Files, folders and partial uploads one user may hold (default " + ServerConfig.DEFAULT_MAX_FILES
          + ").")
  String maxFiles;

  @Option(names = "--registration", paramLabel = "open|closed",
      description = "Whether clients may register accounts (default open); admins add users either way.")
  String registration;

  @Option(names = "--registrations-per-address", paramLabel = "N",
      description = "New accounts one client address (IPv6: its /64) may register per hour (default 10).")
  String registrationsPerAddress;

  @Option(names = "--registrations-per-hour", paramLabel = "N",
      description = "New accounts all clients together may register per hour (default 200).")
  String registrationsPerHour;

  @Option(names = "--tls", paramLabel = "off|optional|required",
      description = {"TLS on connections: required makes plain clients get one tls-required error.",
          "Default: required on a non-loopback --bind, optional on loopback."})
  String tls;

  @Option(names = "--ftp-port", paramLabel = "N",
      description = "Standard FTP (RFC 959) port on the same address (default " + ServerConfig.DEFAULT_FTP_PORT
          + "; 0 turns it off).")
  String ftpPort;

  @Option(names = "--ftp-passive-ports", paramLabel = "A-B",
      description = {"Ports for FTP's passive data connections, " + PassivePorts.MIN_PORT + " to "
          + PassivePorts.MAX_PORT + " (default: any free port).", "Open them in the firewall with the FTP port."})
  String ftpPassivePorts;

  @Option(names = "--storage", paramLabel = "URL",
      description = {"Homes in an S3 bucket instead of the data folder: s3://BUCKET/PREFIX",
          "(credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, region AWS_REGION)."})
  String storage;

  @Option(names = "--s3-endpoint", paramLabel = "URL",
      description = "The S3-compatible store with --storage (MinIO, Ceph RGW), e.g. http://minio:9000 (default AWS).")
  String s3Endpoint;

  @Option(names = "--ftp-public-address", paramLabel = "ADDR",
      description = "IPv4 address PASV names behind NAT (default: the address the client reached).")
  String ftpPublicAddress;

  // PROXY protocol (behind HAProxy or another TCP balancer): whose connections say who their client is.
  @Option(names = "--proxy-protocol-from", paramLabel = "ADDR[/BITS][,...]",
      description = {"Trusted proxies (e.g. HAProxy with send-proxy-v2): their connections must begin with a",
          "PROXY header (v1 or v2) naming the client, whose address is then used everywhere (default: none)."})
  String proxyProtocolFrom;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = {"Certificate chain, PEM (e.g. fullchain.pem); needs --tls-key.",
          "Without both, a self-signed one is made in the data folder."})
  String tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "Private key of --tls-cert, PEM (e.g. privkey.pem).")
  String tlsKey;

  private final Terminal terminal;

  public Main(Terminal terminal) {
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    prepareLogging(args);
    System.exit(execute(Terminal.system(), args));
  }

  /** Runs the command line as {@code java -jar ftp-server.jar args} would and returns the exit code. */
  public static int execute(Terminal terminal, String... args) {
    return commandLine(terminal).execute(args);
  }

  /** The picocli command with output, errors and exit codes wired to {@code terminal}. */
  public static CommandLine commandLine(Terminal terminal) {
    CommandLine cmd = new CommandLine(new Main(terminal));
    cmd.setOut(terminal.out());
    cmd.setErr(terminal.err());
    cmd.setParameterExceptionHandler((ex, args) -> {
      CommandLine at = ex.getCommandLine();
      at.getErr().println("error: " + ex.getMessage() + " (see " + at.getCommandSpec().qualifiedName()
          + " --help)");
      return Failure.USAGE;
    });
    cmd.setExecutionExceptionHandler((ex, at, parseResult) -> report(ex, at));
    return cmd;
  }

  /** One line on stderr for every failure, and the matching exit code. */
  private static int report(Exception ex, CommandLine at) {
    if (ex instanceof Failure f) {
      at.getErr().println("error: " + f.getMessage());
      return f.exitCode();
    }
    if (ex instanceof Settings.Invalid) {
      at.getErr().println("error: " + ex.getMessage());
      return Failure.USAGE;
    }
    if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      at.getErr().println("error: " + ex.getMessage());
      return Failure.IO;
    }
    at.getErr().println("error: unexpected " + ex + " (details in server.log)");
    LoggerFactory.getLogger(Main.class).error("unexpected failure of {}", at.getCommandSpec().qualifiedName(), ex);
    return Failure.IO;
  }

  /**
   * Points logback at the log folder the command line and config file name, before any logger exists. Admin
   * commands log to server.log only, so their own output stays clean. Bad arguments are left for
   * {@link #execute} to report.
   */
  static void prepareLogging(String[] args) {
    Settings settings = null;
    boolean admin = false;
    try {
      OutputStream discard = OutputStream.nullOutputStream();
      ParseResult parsed = commandLine(Terminal.streams(new ByteArrayInputStream(new byte[0]), discard, discard))
          .parseArgs(args);
      while (parsed.hasSubcommand()) parsed = parsed.subcommand();
      Object command = parsed.commandSpec().userObject();
      admin = command instanceof AdminCommand;
      if (command instanceof AdminCommand a) settings = a.settings();
      if (command instanceof Main m) settings = m.settings();
    } catch (CommandLine.ParameterException | Settings.Invalid e) {
      // execute() reports it properly
    }
    String logDir = System.getProperty(LOG_DIR_PROPERTY);
    if (settings != null && (logDir == null || !settings.logDir().equals(Settings.defaults().logDir()))) {
      logDir = settings.logDir().toString();
    }
    System.setProperty(LOG_DIR_PROPERTY, logDir == null ? Settings.defaults().logDir().toString() : logDir);
    if (admin && System.getProperty(CONSOLE_LEVEL_PROPERTY) == null) {
      System.setProperty(CONSOLE_LEVEL_PROPERTY, "OFF");
    }
  }

  /** Defaults, then the config file, then the flags given. */
  public Settings settings() throws Settings.Invalid {
    return Settings.resolve(shared.config(), flags());
  }

  /** The settings flags given on the command line, by name; a fresh map the caller may change. */
  public Map<String, String> flags() {
    Map<String, String> out = shared.flags();
    put(out, "bind", bind);
    put(out, "port", port);
    put(out, "ftp-port", ftpPort);
    put(out, "ftp-passive-ports", ftpPassivePorts);
    put(out, "ftp-public-address", ftpPublicAddress);
    put(out, "storage", storage);
    put(out, "s3-endpoint", s3Endpoint);
    put(out, "max-connections", maxConnections);
    put(out, "max-per-address", maxPerAddress);
    put(out, "login-timeout", loginTimeout);
    put(out, "idle-timeout", idleTimeout);
    put(out, "partial-max-age", partialMaxAge);
    put(out, "max-files", maxFiles);
    put(out, "registration", registration);
    put(out, "registrations-per-address", registrationsPerAddress);
    put(out, "registrations-per-hour", registrationsPerHour);
    put(out, "tls", tls);
    put(out, "tls-cert", tlsCert);
    put(out, "tls-key", tlsKey);
    put(out, "proxy-protocol-from", proxyProtocolFrom);
    return out;
  }

  private static void put(Map<String, String> map, String key, String value) {
    if (value != null) map.put(key, value);
  }

  /** The {@code --config} file, or null. */
  public Path configFile() {
    return shared.config();
  }

  public Terminal terminal() {
    return terminal;
  }

  @Override
  public Integer call() throws Exception {
    Settings settings = settings();
    ServerConfig config = settings.toServerConfig();
    FtpServer server;
    FailFast failFast = FailFast.arm();
    try {
      server = FtpServer.start(config, null, failFast::loopDied);
    } catch (BindException e) {
      throw Failure.io("cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage());
    } catch (TlsCertificateException e) {
      throw Failure.io("cannot start TLS: " + e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      throw Failure.io("cannot start: " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // SIGTERM / Ctrl-C: let transfers in flight finish within the grace, keep the rest resumable,
      // flush the logs ourselves (logback's own hook would race us), then exit 0: this is a clean stop.
      // After the loop died (FailFast called System.exit) the status says so, whatever the hook does.
      server.shutdown(FtpServer.DEFAULT_GRACE);
      stopped.countDown();
      if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
        logback.stop();
      }
      Runtime.getRuntime().halt(failFast.triggered() ? FailFast.EXIT_LOOP_DIED : 0);
    }, "ftp-shutdown"));
    terminal.out().printf("SelectFTP listening on %s:%d (TLS %s), data in %s, logs in %s (Ctrl-C stops)%n",
        settings.bind(), server.port(), config.tls().offer().wireName(), settings.data().toAbsolutePath(),
        settings.logDir().toAbsolutePath());
    if (config.accounts() != null) terminal.out().printf("accounts in %s%n", config.accounts());
    if (config.ftpEnabled()) {
      terminal.out().printf("standard FTP on %s:%d (try: curl ftp://USER:PASSWORD@%s:%d/)%n", settings.bind(),
          server.ftpPort(), settings.bind(), server.ftpPort());
    }
    server.certificateFingerprint().ifPresent(fingerprint ->
        terminal.out().printf("TLS certificate SHA-256 fingerprint: %s%n", fingerprint));
    stopped.await();
    return 0;
  }

  /** The version from the jar's manifest. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"SelectFTP server " + (v == null ? "dev" : v)};
    }
  }
}
