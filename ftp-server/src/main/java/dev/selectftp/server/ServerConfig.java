package dev.selectftp.server;

import dev.selectftp.common.DefaultAddress;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.RegistrationPolicy;
import dev.selectftp.server.accounts.postgres.PostgresUrl;
import dev.selectftp.server.net.ConnectionLimits;
import dev.selectftp.server.net.ProxyProtocol;
import dev.selectftp.server.net.ProxySources;
import dev.selectftp.server.storage.s3.S3Location;
import dev.selectftp.server.protocol.ftp.PassivePorts;
import dev.selectftp.server.tls.TlsSettings;
import java.net.Inet4Address;
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
    TlsSettings tls,
    int ftpPort,
    PassivePorts ftpPassivePorts,
    InetAddress ftpPublicAddress,
    PostgresUrl accounts,
    S3Location storage,
    // PROXY protocol: the trusted proxies whose connections begin with a header (ProxySources.NONE: off).
    ProxySources proxyProtocolFrom) {

  public static final int DEFAULT_PORT = DefaultAddress.PORT;
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
  /**
   * The standard FTP door's port: beside SelectFTP's 2121, and like it above 1023 so no root is needed (21
   * would be). {@code --ftp-port 0} turns the door off ({@link #FTP_OFF}).
   */
  public static final int DEFAULT_FTP_PORT = 2122;
  /**
   * {@link #ftpPort} when the standard FTP door is off. Here 0 means "any free port", as for {@link #bind}, so
   * a test asks for the door with {@code withFtpPort(0)}; only the command line's {@code --ftp-port 0} means off.
   */
  public static final int FTP_OFF = -1;

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
        TlsSettings.defaultFor(bind),
        DEFAULT_FTP_PORT,
        PassivePorts.ANY,
        null,
        null,
        null,
        ProxySources.NONE);
  }

  /**
   * Loopback, port 0 (any free port), {@link ScramCredentials#MIN_ITERATIONS} so tests stay fast, and no
   * registration rate limit, since tests register many users from one address. TLS is off: the tests of TLS
   * turn it on, the rest stay fast and keep the client's known-servers file out of the picture. The standard
   * FTP door is off too; its tests ask for it with {@code withFtpPort(0)}.
   */
  public static ServerConfig forTests(Path dataDir) {
    return defaults(dataDir)
        .withBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .withIterations(ScramCredentials.MIN_ITERATIONS)
        .withRegistration(RegistrationPolicy.UNLIMITED)
        .withTls(TlsSettings.off())
        .withFtpPort(FTP_OFF);
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
    if (ftpPort < FTP_OFF || ftpPort > 65_535) throw new IllegalArgumentException("bad FTP port " + ftpPort);
    Objects.requireNonNull(ftpPassivePorts, "ftpPassivePorts");
    if (ftpPublicAddress != null && !(ftpPublicAddress instanceof Inet4Address)) {
      throw new IllegalArgumentException("the FTP public address must be IPv4 (PASV carries nothing else)");
    }
    Objects.requireNonNull(proxyProtocolFrom, "proxyProtocolFrom");
  }

  /** True when the standard FTP door listens ({@link #ftpPort} is not {@link #FTP_OFF}). */
  public boolean ftpEnabled() {
    return ftpPort != FTP_OFF;
  }

  public ServerConfig withBind(InetSocketAddress value) {
    return toBuilder().bind(value).build();
  }

  public ServerConfig withDefaultQuotaBytes(long value) {
    return toBuilder().defaultQuotaBytes(value).build();
  }

  public ServerConfig withIterations(int value) {
    return toBuilder().iterations(value).build();
  }

  public ServerConfig withConnectionCaps(int overall, int perAddress) {
    return toBuilder().maxConnections(overall).maxPerAddress(perAddress).build();
  }

  public ServerConfig withTimeouts(Duration login, Duration idle) {
    return toBuilder().loginTimeout(login).idleTimeout(idle).build();
  }

  public ServerConfig withPartialMaxAge(Duration value) {
    return toBuilder().partialMaxAge(value).build();
  }

  public ServerConfig withMaxFiles(long value) {
    return toBuilder().maxFiles(value).build();
  }

  public ServerConfig withRegistration(RegistrationPolicy value) {
    return toBuilder().registration(value).build();
  }

  public ServerConfig withTls(TlsSettings value) {
    return toBuilder().tls(value).build();
  }

  /** The ports passive data connections listen on ({@link PassivePorts#ANY}: any free port). */
  public ServerConfig withFtpPassivePorts(PassivePorts value) {
    return toBuilder().ftpPassivePorts(value).build();
  }

  /** The IPv4 address PASV advertises (behind NAT); null: the address the client reached. */
  public ServerConfig withFtpPublicAddress(InetAddress value) {
    return toBuilder().ftpPublicAddress(value).build();
  }

  /** Keeps the accounts in this PostgreSQL database; null: {@code users.json} in the data folder (the default). */
  public ServerConfig withAccounts(PostgresUrl value) {
    return toBuilder().accounts(value).build();
  }

  /** Keeps the homes in this S3 bucket; null: {@code home/} in the data folder (the default). */
  public ServerConfig withStorage(S3Location value) {
    return toBuilder().storage(value).build();
  }

  /** The standard FTP door's port: 0 for any free port, {@link #FTP_OFF} for no door. */
  public ServerConfig withFtpPort(int value) {
    return toBuilder().ftpPort(value).build();
  }

  /** The proxies whose connections must begin with a PROXY header ({@link ProxySources#NONE}: none, the default). */
  public ServerConfig withProxyProtocolFrom(ProxySources value) {
    return toBuilder().proxyProtocolFrom(value).build();
  }

  /**
   * How the doors read PROXY headers: from {@link #proxyProtocolFrom}, each header due within the frame
   * timeout (or the idle timeout when shorter, as for a frame).
   */
  public ProxyProtocol proxyProtocol() {
    Duration frame = ConnectionLimits.FRAME_TIMEOUT;
    return new ProxyProtocol(proxyProtocolFrom, idleTimeout.compareTo(frame) < 0 ? idleTimeout : frame);
  }

  /** A builder holding this config's values, so a variant names only the fields it changes. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The one place that lists every field, so that adding a field touches this record, the builder and
   * {@link #defaults}, not every {@code with*} method. Checks run once, in {@link #build()}.
   */
  public static final class Builder {
    private InetSocketAddress bind;
    private Path dataDir;
    private long defaultQuotaBytes;
    private int iterations;
    private int maxConnections;
    private int maxPerAddress;
    private Duration loginTimeout;
    private Duration idleTimeout;
    private Duration partialMaxAge;
    private int backlog;
    private long maxFiles;
    private RegistrationPolicy registration;
    private TlsSettings tls;
    private int ftpPort;
    private PassivePorts ftpPassivePorts;
    private InetAddress ftpPublicAddress;
    private PostgresUrl accounts;
    private S3Location storage;
    private ProxySources proxyProtocolFrom;

    private Builder(ServerConfig c) {
      bind = c.bind;
      dataDir = c.dataDir;
      defaultQuotaBytes = c.defaultQuotaBytes;
      iterations = c.iterations;
      maxConnections = c.maxConnections;
      maxPerAddress = c.maxPerAddress;
      loginTimeout = c.loginTimeout;
      idleTimeout = c.idleTimeout;
      partialMaxAge = c.partialMaxAge;
      backlog = c.backlog;
      maxFiles = c.maxFiles;
      registration = c.registration;
      tls = c.tls;
      ftpPort = c.ftpPort;
      ftpPassivePorts = c.ftpPassivePorts;
      ftpPublicAddress = c.ftpPublicAddress;
      accounts = c.accounts;
      storage = c.storage;
      proxyProtocolFrom = c.proxyProtocolFrom;
    }

    public Builder bind(InetSocketAddress value) {
      bind = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder defaultQuotaBytes(long value) {
      defaultQuotaBytes = value;
      return this;
    }

    public Builder iterations(int value) {
      iterations = value;
      return this;
    }

    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    public Builder maxPerAddress(int value) {
      maxPerAddress = value;
      return this;
    }

    public Builder loginTimeout(Duration value) {
      loginTimeout = value;
      return this;
    }

    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    public Builder partialMaxAge(Duration value) {
      partialMaxAge = value;
      return this;
    }

    public Builder backlog(int value) {
      backlog = value;
      return this;
    }

    public Builder maxFiles(long value) {
      maxFiles = value;
      return this;
    }

    public Builder registration(RegistrationPolicy value) {
      registration = value;
      return this;
    }

    public Builder tls(TlsSettings value) {
      tls = value;
      return this;
    }

    public Builder ftpPort(int value) {
      ftpPort = value;
      return this;
    }

    public Builder ftpPassivePorts(PassivePorts value) {
      ftpPassivePorts = value;
      return this;
    }

    public Builder ftpPublicAddress(InetAddress value) {
      ftpPublicAddress = value;
      return this;
    }

    public Builder accounts(PostgresUrl value) {
      accounts = value;
      return this;
    }

    public Builder storage(S3Location value) {
      storage = value;
      return this;
    }

    public Builder proxyProtocolFrom(ProxySources value) {
      proxyProtocolFrom = value;
      return this;
    }

    /** The config; the record's checks apply ({@link IllegalArgumentException} for a bad value). */
    public ServerConfig build() {
      return new ServerConfig(bind, dataDir, defaultQuotaBytes, iterations, maxConnections, maxPerAddress,
          loginTimeout, idleTimeout, partialMaxAge, backlog, maxFiles, registration, tls, ftpPort,
          ftpPassivePorts, ftpPublicAddress, accounts, storage, proxyProtocolFrom);
    }
  }
}
