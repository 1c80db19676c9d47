package dev.selectftp.server;

import dev.selectftp.common.DefaultAddress;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.accounts.RegistrationPolicy;
import dev.selectftp.server.accounts.postgres.PostgresUrl;
import dev.selectftp.server.net.ProxySources;
import dev.selectftp.server.protocol.ftp.PassivePorts;
import dev.selectftp.server.storage.s3.S3Location;
import dev.selectftp.server.tls.TlsSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operator's settings, resolved from three layers: built-in defaults, then the optional config file,
 * then command-line flags (each layer wins over the one before). Values from any layer are checked by the
 * same code, so a bad value gets the same clear message wherever it came from. Uses no logger: it runs
 * before logging is set up.
 *
 * @param bind listen address as written (resolved by {@link #toServerConfig()})
 * @param data data folder (users file and homes)
 * @param logDir where server.log and transfer.log go
 * @param registrationOpen whether clients may register accounts ({@code registration = open|closed})
 * @param registrationsPerAddress new accounts per client address per hour
 * @param registrationsPerHour new accounts from all clients per hour
 * @param tls the TLS offer, or null for the bind address's default ({@link TlsSettings#defaultFor})
 * @param tlsCert certificate chain PEM file, or null (then {@code tlsKey} is null too, or the settings are
 *     refused by {@link #toServerConfig()})
 * @param tlsKey private key PEM file, or null
 * @param ftpPort the standard FTP door's port; 0 turns the door off (unlike {@link ServerConfig#ftpPort})
 * @param ftpPassivePorts the ports passive data connections listen on ({@code A-B}), or any free port
 * @param ftpPublicAddress the IPv4 address PASV advertises (NAT) as written, or null for the address the
 *     client reached (resolved by {@link #toServerConfig()})
 * @param accounts the PostgreSQL database the accounts live in, or null for {@code users.json} in the data folder
 * @param storage where the homes live as written ({@code s3://BUCKET/PREFIX}, checked), or null for {@code home/}
 *     in the data folder
 * @param s3Endpoint the S3-compatible store's URL, or null for AWS itself; only with {@code storage}
 * @param proxyProtocolFrom the proxies whose connections begin with a PROXY header ({@link ProxySources#NONE})
 */
public record Settings(
    String bind,
    int port,
    Path data,
    Path logDir,
    long defaultQuotaBytes,
    int iterations,
    int maxConnections,
    int maxPerAddress,
    Duration loginTimeout,
    Duration idleTimeout,
    Duration partialMaxAge,
    long maxFiles,
    boolean registrationOpen,
    int registrationsPerAddress,
    int registrationsPerHour,
    TlsOffer tls,
    Path tlsCert,
    Path tlsKey,
    int ftpPort,
    PassivePorts ftpPassivePorts,
    String ftpPublicAddress,
    PostgresUrl accounts,
    String storage,
    URI s3Endpoint,
    ProxySources proxyProtocolFrom) {

  /** Every setting's name: the long option without dashes, and the config file's key. */
  public static final List<String> KEYS = List.of("bind", "port", "data", "log-dir", "default-quota", "iterations",
      "max-connections", "max-per-address", "login-timeout", "idle-timeout", "partial-max-age", "max-files",
      "registration", "registrations-per-address", "registrations-per-hour", "tls", "tls-cert", "tls-key", "ftp-port",
      "ftp-passive-ports", "ftp-public-address", "accounts", "storage", "s3-endpoint",
      "proxy-protocol-from");

  public Settings {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(logDir, "logDir");
    Objects.requireNonNull(loginTimeout, "loginTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(partialMaxAge, "partialMaxAge");
    Objects.requireNonNull(ftpPassivePorts, "ftpPassivePorts");
    Objects.requireNonNull(proxyProtocolFrom, "proxyProtocolFrom");
  }

  /** What {@code java -jar ftp-server.jar} uses with no flags and no config file. */
  public static Settings defaults() {
    return new Settings(DefaultAddress.HOST, ServerConfig.DEFAULT_PORT, Path.of("data"), Path.of("logs"),
        ServerConfig.DEFAULT_QUOTA_BYTES, ScramCredentials.DEFAULT_ITERATIONS, ServerConfig.DEFAULT_MAX_CONNECTIONS,
        ServerConfig.DEFAULT_MAX_PER_ADDRESS, ServerConfig.DEFAULT_LOGIN_TIMEOUT, ServerConfig.DEFAULT_IDLE_TIMEOUT,
        ServerConfig.DEFAULT_PARTIAL_MAX_AGE, ServerConfig.DEFAULT_MAX_FILES, RegistrationPolicy.DEFAULT.open(),
        RegistrationPolicy.DEFAULT.perAddressPerHour(), RegistrationPolicy.DEFAULT.perHour(), null, null, null,
        ServerConfig.DEFAULT_FTP_PORT, PassivePorts.ANY, null, null, null, null,
        ProxySources.NONE);
  }

  /**
   * Defaults, overridden by {@code configFile} (when not null), overridden by {@code flags}.
   *
   * @param flags setting name to value as typed on the command line (only the flags given)
   * @throws Invalid for a bad file, an unknown key, or a value that does not parse or is out of range
   */
  public static Settings resolve(Path configFile, Map<String, String> flags) throws Invalid {
    Settings s = defaults();
    if (configFile != null) {
      Path base = configFile.toAbsolutePath().getParent();
      String source = "config file " + configFile;
      for (Map.Entry<String, ConfigFile.Value> e : ConfigFile.read(configFile).entrySet()) {
        String where = source + ", line " + e.getValue().line() + ": " + e.getKey();
        s = s.with(e.getKey(), e.getValue().text(), where, base);
      }
    }
    for (Map.Entry<String, String> e : flags.entrySet()) {
      s = s.with(e.getKey(), e.getValue(), "--" + e.getKey(), null);
    }
    return s;
  }

  /**
   * This with one setting replaced.
   *
   * @param where names the value's origin in error messages, e.g. {@code --port}
   * @param base folder that relative paths are resolved against, or null to keep them as written
   */
  public Settings with(String key, String value, String where, Path base) throws Invalid {
    String v = value == null ? "" : value.strip();
    if (v.isEmpty()) throw new Invalid(where + ": value is missing");
    if (!KEYS.contains(key)) throw new Invalid(where + ": unknown setting \"" + key + "\"");
    // Parse first (the one value that changes), then copy every field with that one replaced.
    Object x;
    try {
      x = switch (key) {
        case "bind", "ftp-public-address" -> v;
        case "ftp-passive-ports" -> SettingValues.passivePorts(v, where);
        case "port", "ftp-port" -> SettingValues.integer(v, where, 0, 65_535);
        case "data", "log-dir", "tls-cert", "tls-key" -> SettingValues.path(v, where, base);
        case "tls" -> SettingValues.tlsOffer(v, where);
        case "accounts" -> SettingValues.accounts(v, where);
        case "storage" -> SettingValues.storage(v, where);
        case "s3-endpoint" -> SettingValues.s3Endpoint(v, where);
        case "proxy-protocol-from" -> SettingValues.proxySources(v, where);
        case "default-quota" -> SettingValues.size(v, where);
        case "iterations" -> SettingValues.integer(v, where, ScramCredentials.MIN_ITERATIONS, Integer.MAX_VALUE);
        case "login-timeout", "idle-timeout", "partial-max-age" -> SettingValues.duration(v, where);
        case "max-files" -> (long) SettingValues.integer(v, where, 1, Integer.MAX_VALUE);
        case "registration" -> SettingValues.openOrClosed(v, where);
        default -> SettingValues.integer(v, where, 1, Integer.MAX_VALUE); // the caps and rates
      };
    } catch (SettingValues.BadValue e) {
      throw new Invalid(e.getMessage());
    }
    return new Settings(
        key.equals("bind") ? (String) x : bind,
        key.equals("port") ? (Integer) x : port,
        key.equals("data") ? (Path) x : data,
        key.equals("log-dir") ? (Path) x : logDir,
        key.equals("default-quota") ? (Long) x : defaultQuotaBytes,
        key.equals("iterations") ? (Integer) x : iterations,
        key.equals("max-connections") ? (Integer) x : maxConnections,
        key.equals("max-per-address") ? (Integer) x : maxPerAddress,
        key.equals("login-timeout") ? (Duration) x : loginTimeout,
        key.equals("idle-timeout") ? (Duration) x : idleTimeout,
        key.equals("partial-max-age") ? (Duration) x : partialMaxAge,
        key.equals("max-files") ? (Long) x : maxFiles,
        key.equals("registration") ? (Boolean) x : registrationOpen,
        key.equals("registrations-per-address") ? (Integer) x : registrationsPerAddress,
        key.equals("registrations-per-hour") ? (Integer) x : registrationsPerHour,
        key.equals("tls") ? (TlsOffer) x : tls,
        key.equals("tls-cert") ? (Path) x : tlsCert,
        key.equals("tls-key") ? (Path) x : tlsKey,
        key.equals("ftp-port") ? (Integer) x : ftpPort,
        key.equals("ftp-passive-ports") ? (PassivePorts) x : ftpPassivePorts,
        key.equals("ftp-public-address") ? (String) x : ftpPublicAddress,
        key.equals("accounts") ? (PostgresUrl) x : accounts,
        key.equals("storage") ? (String) x : storage,
        key.equals("s3-endpoint") ? (URI) x : s3Endpoint,
        key.equals("proxy-protocol-from") ? (ProxySources) x : proxyProtocolFrom);
  }

  /**
   * The server's configuration; resolves {@link #bind} (a host name is looked up) and, when {@link #tls} is
   * not set, picks the TLS offer by the resolved address.
   *
   * @throws Invalid for an unknown bind address, or only one of {@code tls-cert} and {@code tls-key}, or a
   *     public address that is not one IPv4 address
   */
  public ServerConfig toServerConfig() throws Invalid {
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new Invalid("bind: unknown address \"" + bind + "\"");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new Invalid((tlsCert == null ? "tls-key is set without tls-cert" : "tls-cert is set without tls-key")
          + ": give both --tls-cert FILE and --tls-key FILE, or neither");
    }
    InetAddress advertised;
    try {
      advertised = SettingValues.publicAddress(ftpPublicAddress);
    } catch (SettingValues.BadValue e) {
      throw new Invalid(e.getMessage());
    }
    if (s3Endpoint != null && storage == null) {
      throw new Invalid("s3-endpoint is set without storage: give --storage s3://BUCKET/PREFIX too, or neither");
    }
    InetSocketAddress socket = new InetSocketAddress(address, port);
    TlsOffer offer = tls != null ? tls : TlsSettings.defaultFor(socket).offer();
    return ServerConfig.defaults(data)
        .withBind(socket)
        .withDefaultQuotaBytes(defaultQuotaBytes)
        .withIterations(iterations)
        .withConnectionCaps(maxConnections, maxPerAddress)
        .withTimeouts(loginTimeout, idleTimeout)
        .withPartialMaxAge(partialMaxAge)
        .withMaxFiles(maxFiles)
        .withRegistration(new RegistrationPolicy(registrationOpen, registrationsPerAddress, registrationsPerHour))
        .withTls(new TlsSettings(offer, tlsCert, tlsKey))
        .withFtpPort(ftpPort == 0 ? ServerConfig.FTP_OFF : ftpPort)
        .withFtpPassivePorts(ftpPassivePorts)
        .withFtpPublicAddress(advertised)
        .withAccounts(accounts)
        .withStorage(storage == null ? null : S3Location.parse(storage, s3Endpoint))
        .withProxyProtocolFrom(proxyProtocolFrom);
  }

  /** A quota or size from the command line, e.g. {@code 4GiB}, with {@code where} in the error. */
  public static long size(String value, String where) throws Invalid {
    try {
      return SettingValues.size(value, where);
    } catch (SettingValues.BadValue e) {
      throw new Invalid(e.getMessage());
    }
  }

  /** A setting that cannot be used; the message is one line naming where the value came from. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message, null, false, false);
    }
  }
}
