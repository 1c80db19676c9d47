package dev.selectftp.client.console;

import dev.selectftp.client.tls.ClientTls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** The TLS options of the console and of {@code bench} (a picocli mixin). */
public final class TlsOptions {
  @Option(names = "--no-tls",
      description = "stay in plain text even when the server offers TLS (a 'required' server then refuses)")
  boolean noTls;

  @Option(names = "--cacert", paramLabel = "FILE",
      description = "trust the CA certificate(s) in this PEM file instead of the system's trust store")
  Path caCert;

  @Option(names = "--known-servers", paramLabel = "FILE",
      description = "where self-signed servers are pinned on first use (default: ~/.selectftp/known_servers)")
  Path knownServers;

  /** The client's TLS settings; one-line notices (a pin made, a server without TLS) go to {@code notices}. */
  public ClientTls build(Consumer<String> notices) throws IOException {
    if (noTls) return ClientTls.off();
    return ClientTls.create(caCert, knownServers != null ? knownServers : ClientTls.defaultKnownServers(), notices);
  }
}
