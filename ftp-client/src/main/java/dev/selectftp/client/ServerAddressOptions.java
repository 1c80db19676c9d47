package dev.selectftp.client;

import dev.selectftp.common.DefaultAddress;
import picocli.CommandLine.Option;

/**
 * {@code -s HOST -P PORT}: the server to connect to, a picocli mixin shared by the console client and
 * {@code bench}, so both spell, default and describe them alike. The defaults are the server's own
 * ({@link DefaultAddress}); a port outside 1-65535 is a usage error ({@link PortNumber}).
 */
public final class ServerAddressOptions {
  @Option(names = {"-s", "--server"}, defaultValue = DefaultAddress.HOST,
      description = "server host (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = {"-P", "--port"}, defaultValue = "" + DefaultAddress.PORT, converter = PortNumber.class,
      description = "server port, 1-65535 (default: ${DEFAULT-VALUE})")
  int port;

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }
}
