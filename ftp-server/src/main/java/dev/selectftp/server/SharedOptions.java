package dev.selectftp.server;

import dev.selectftp.common.ScramCredentials;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options that {@code ftp-server} (serving) and every {@code ftp-server user ...} command share, defined
 * once as a picocli mixin so that both spell, describe and layer them alike. Values stay text: they are
 * checked by {@link Settings}, the same code that checks the config file, and an option not given is null,
 * so the config file's value stands.
 */
public final class SharedOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Config file (key = value lines) with any of the server's settings; flags win over it.")
  Path config;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Users file and homes (default data); serving a fresh one creates the demo user.")
  String data;

  @Option(names = "--log-dir", paramLabel = "DIR",
      description = "Where server.log and transfer.log go (default logs).")
  String logDir;

  @Option(names = "--default-quota", paramLabel = "SIZE",
      description = "Quota of new users without one of their own, e.g. 8MiB, 4GiB (default 1GiB).")
  String defaultQuota;

  @Option(names = "--iterations", paramLabel = "N",
      description = "PBKDF2 iterations for new passwords (default " + ScramCredentials.DEFAULT_ITERATIONS
          + ", OWASP 2023).")
  String iterations;

  @Option(names = "--accounts", paramLabel = "URL",
      description = {"Accounts in PostgreSQL instead of users.json:", "postgresql://HOST:PORT/DB?user=NAME",
          "(the password as password=... or in PGPASSWORD)."})
  String accounts;

  /** The {@code --config} file, or null. */
  public Path config() {
    return config;
  }

  /** The options given, by setting name (a fresh map the caller may change). */
  public Map<String, String> flags() {
    Map<String, String> out = new LinkedHashMap<>();
    put(out, "data", data);
    put(out, "log-dir", logDir);
    put(out, "default-quota", defaultQuota);
    put(out, "iterations", iterations);
    put(out, "accounts", accounts);
    return out;
  }

  private static void put(Map<String, String> map, String key, String value) {
    if (value != null) map.put(key, value);
  }
}
