package dev.selectftp.server.admin;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The settings an admin command needs, spelled as for the server; unset ones come from the config file. */
public final class AdminOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Config file with the server's settings (key = value); flags win over it.")
  Path config;

  @Option(names = "--data", paramLabel = "DIR", description = "The server's data folder (default data).")
  String data;

  @Option(names = "--iterations", paramLabel = "N",
      description = "PBKDF2 iterations for new passwords (default 600000).")
  String iterations;

  @Option(names = "--default-quota", paramLabel = "SIZE",
      description = "Quota of users added without --quota (default 1GiB).")
  String defaultQuota;

  @Option(names = "--log-dir", paramLabel = "DIR", description = "Where server.log goes (default logs).")
  String logDir;

  /** The options given, by setting name. */
  Map<String, String> flags() {
    Map<String, String> out = new LinkedHashMap<>();
    if (data != null) out.put("data", data);
    if (iterations != null) out.put("iterations", iterations);
    if (defaultQuota != null) out.put("default-quota", defaultQuota);
    if (logDir != null) out.put("log-dir", logDir);
    return out;
  }
}
