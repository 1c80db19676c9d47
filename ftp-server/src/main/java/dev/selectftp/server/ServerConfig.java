package dev.selectftp.server;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.RegistrationPolicy;
import dev.selectftp.server.tls.TlsSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Every setting of a running server. Defaults are what {@code java -jar ftp-server.jar} uses; tests build
 * variants with the {@code with*} methods.
 */
public record ServerConfig(
    InetSocketAddress bind,
    Path dataDir,
    long defaultQuotaBytes,
    int iterations,
    int maxConnections,
    int maxPerAddress,
    Duration loginTimeout,
    Duration idleTimeout,
    Duration partialMaxAge,
    int backlog,
    long maxFiles,
    RegistrationPolicy registration,
    TlsSettings tls) {

  public static final int DEFAULT_PORT = 2121;
  public static final long DEFAULT_QUOTA_BYTES = 1L << 30; // 1 GiB
  public static final int DEFAULT_MAX_CONNECTIONS = 20_000;
  public static final int DEFAULT_MAX_PER_ADDRESS = 12_000;
  public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_PARTIAL_MAX_AGE = Duration.ofDays(7);
  /** Java's default of 50 overflows when hundreds of clients connect at once; the kernel caps it at somaxconn. */
  public static final int DEFAULT_BACKLOG = 4096;
  /**
   * Files, folders and partial uploads one user may hold. Bytes alone leave folders and empty files free, so
   * without a count a user fills the disk's inodes under a quota showing 0 B (SFTPGo calls this max files).
   */
  public static final long DEFAULT_MAX_FILES = 100_000;

  public static ServerConfig defaults(Path dataDir) {
    InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);
    return new ServerConfig(
        bind,
        dataDir,
        DEFAULT_QUOTA_BYTES,
        ScramCredentials.DEFAULT_ITERATIONS,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_PER_ADDRESS,
        DEFAULT_LOGIN_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_PARTIAL_MAX_AGE,
        DEFAULT_BACKLOG,
        DEFAULT_MAX_FILES,
        RegistrationPolicy.DEFAULT,
        TlsSettings.defaultFor(bind));
  }

  /**
   * Loopback, port 0 (any free port), {@link ScramCredentials#MIN_ITERATIONS} so tests stay fast, and no
   * registration rate limit, since tests register many users from one address. TLS is off: the tests of TLS
   * turn it on, the rest stay fast and keep the client's known-servers file out of the picture.
   */
  public static ServerConfig forTests(Path dataDir) {
    return defaults(dataDir)
        .withBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .withIterations(ScramCredentials.MIN_ITERATIONS)
        .withRegistration(RegistrationPolicy.UNLIMITED)
        .withTls(TlsSettings.off());
  }

  public ServerConfig {
    if (iterations < ScramCredentials.MIN_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be at least " + ScramCredentials.MIN_ITERATIONS);
    }
    if (defaultQuotaBytes < 0) throw new IllegalArgumentException("quota must not be negative");
    if (maxConnections < 1 || maxPerAddress < 1) throw new IllegalArgumentException("caps must be positive");
    if (maxFiles < 1) throw new IllegalArgumentException("max files must be positive");
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(tls, "tls");
  }

  public ServerConfig withBind(InetSocketAddress value) {
    return new ServerConfig(value, dataDir, defaultQuotaBytes, iterations, maxConnections, maxPerAddress,
        loginTimeout, idleTimeout, partialMaxAge, backlog, maxFiles, registration, tls);
  }

  public ServerConfig withDefaultQuotaBytes(long value) {
    return new ServerConfig(bind, dataDir, value, iterations, maxConnections, maxPerAddress,
        loginTimeout, idleTimeout, partialMaxAge, backlog, maxFiles, registration, tls);
  }

  public ServerConfig withIterations(int value) {
    return new ServerConfig(bind, dataDir, defaultQuotaBytes, value, maxConnections, maxPerAddress,
        loginTimeout, idleTimeout, partialMaxAge, backlog, maxFiles, registration, tls);
  }

  public ServerConfig withConnectionCaps(int overall, int perAddress) {
    return new ServerConfig(bind, dataDir, defaultQuotaBytes, iterations, overall, perAddress,
        loginTimeout, idleTimeout, partialMaxAge, backlog, maxFiles, registration, tls);
  }

  public ServerConfig withTimeouts(Duration login, Duration idle) {
    return new ServerConfig(bind, dataDir, defaultQuotaBytes, iterations, maxConnections, maxPerAddress,
        login, idle, partialMaxAge, backlog, maxFiles, registration, tls);
  }

  public ServerConfig withPartialMaxAge(Duration value) {
    return new ServerConfig(bind, dataDir, defaultQuotaBytes, iterations, maxConnections, maxPerAddress,
        loginTimeout, idleTimeout, value, backlog, maxFiles, registration, tls);
  }

  public ServerConfig withMaxFiles(long value) {
    return new ServerConfig(bind, dataDir, defaultQuotaBytes, iterations, maxConnections, maxPerAddress,
        loginTimeout, idleTimeout, partialMaxAge, backlog, value, registration, tls);
  }

  public ServerConfig withRegistration(RegistrationPolicy value) {
    return new ServerConfig(bind, dataDir, defaultQuotaBytes, iterations, maxConnections, maxPerAddress,
        loginTimeout, idleTimeout, partialMaxAge, backlog, maxFiles, value, tls);
  }

  public ServerConfig withTls(TlsSettings value) {
    return new ServerConfig(bind, dataDir, defaultQuotaBytes, iterations, maxConnections, maxPerAddress,
        loginTimeout, idleTimeout, partialMaxAge, backlog, maxFiles, registration, value);
  }
}
