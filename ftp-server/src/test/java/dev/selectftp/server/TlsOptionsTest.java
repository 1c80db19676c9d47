package dev.selectftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.admin.Terminal;
import dev.selectftp.server.tls.TlsSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls}, {@code --tls-cert} and {@code --tls-key}: defaults by bind address, pairing, config file. */
class TlsOptionsTest {
  @TempDir
  Path dir;

  private static ByteArrayInputStream noInput() {
    return new ByteArrayInputStream(new byte[0]);
  }

  /** The server config {@code args} would serve with, without starting anything. */
  private static ServerConfig config(String... args) throws Settings.Invalid {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    var cmd = Main.commandLine(Terminal.streams(noInput(), sink, sink));
    cmd.parseArgs(args);
    return ((Main) cmd.getCommand()).settings().toServerConfig();
  }

  /** Runs the command line; these runs all fail before anything is served. Returns exit code and stderr. */
  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(Terminal.streams(noInput(), out, err), args);
    return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8)};
  }

  private static void assertOneLineUsageError(String[] result, String... containing) {
    assertEquals("2", result[0], result[1]);
    List<String> lines = result[1].lines().toList();
    assertEquals(1, lines.size(), "one line: " + result[1]);
    assertTrue(lines.get(0).startsWith("error: "), result[1]);
    for (String c : containing) assertTrue(lines.get(0).contains(c), "'" + c + "' in " + result[1]);
  }

  @Test
  void tlsIsOptionalOnLoopbackAndRequiredOnAnyOtherAddressUnlessSet() throws Exception {
    assertEquals(TlsOffer.OPTIONAL, config().tls().offer(), "the default bind, 127.0.0.1");
    assertEquals(TlsOffer.OPTIONAL, config("--bind", "::1").tls().offer());
    assertEquals(TlsOffer.OPTIONAL, config("--bind", "localhost").tls().offer());
    assertEquals(TlsOffer.REQUIRED, config("--bind", "0.0.0.0").tls().offer(), "every interface");
    assertEquals(TlsOffer.REQUIRED, config("--bind", "192.0.2.7").tls().offer());
    assertEquals(TlsOffer.OPTIONAL, config("--bind", "0.0.0.0", "--tls", "optional").tls().offer());
    assertEquals(TlsOffer.OFF, config("--bind", "0.0.0.0", "--tls", "off").tls().offer());
    assertEquals(TlsOffer.REQUIRED, config("--tls", "Required").tls().offer(), "any letter case");
    assertEquals(TlsSettings.defaultFor(config("--bind", "0.0.0.0").bind()), config("--bind", "0.0.0.0").tls(),
        "the same rule as TlsSettings.defaultFor");
  }

  @Test
  void certificateAndKeyReachTheServerConfigTogether() throws Exception {
    TlsSettings tls = config("--tls", "required", "--tls-cert", "fullchain.pem", "--tls-key", "privkey.pem").tls();
    assertEquals(new TlsSettings(TlsOffer.REQUIRED, Path.of("fullchain.pem"), Path.of("privkey.pem")), tls);
    TlsSettings none = config().tls();
    assertEquals(null, none.cert(), "without both, the server makes its own certificate");
    assertEquals(null, none.key());
  }

  @Test
  void aCertificateWithoutItsKeyOrAKeyWithoutItsCertificateIsAOneLineUsageError() throws Exception {
    assertOneLineUsageError(run("--tls-cert", "fullchain.pem", "--port", "0"), "tls-cert is set without tls-key",
        "--tls-cert FILE and --tls-key FILE");
    assertOneLineUsageError(run("--tls-key", "privkey.pem", "--port", "0"), "tls-key is set without tls-cert");
    Path f = dir.resolve("server.properties");
    Files.writeString(f, "tls-key = privkey.pem\n");
    assertOneLineUsageError(run("--config", f.toString(), "--port", "0"), "tls-key is set without tls-cert");
  }

  @Test
  void badTlsValueIsAOneLineUsageErrorListingTheChoices() {
    assertOneLineUsageError(run("--tls", "maybe"), "--tls", "none of off, optional, required");
    assertOneLineUsageError(run("--tls-cert", ""), "--tls-cert", "value is missing");
  }

  @Test
  void theConfigFileSetsTheSameThreeWithPathsRelativeToItsFolderAndFlagsWin() throws Exception {
    Path f = dir.resolve("server.properties");
    Files.writeString(f, """
        bind = 0.0.0.0
        tls = optional
        tls-cert = certs/fullchain.pem
        tls-key = /etc/letsencrypt/live/example/privkey.pem
        """);
    TlsSettings file = config("--config", f.toString()).tls();
    assertEquals(new TlsSettings(TlsOffer.OPTIONAL, dir.resolve("certs/fullchain.pem").toAbsolutePath(),
        Path.of("/etc/letsencrypt/live/example/privkey.pem")), file);
    TlsSettings flags = config("--config", f.toString(), "--tls", "off", "--tls-cert", "a.pem", "--tls-key",
        "b.pem").tls();
    assertEquals(new TlsSettings(TlsOffer.OFF, Path.of("a.pem"), Path.of("b.pem")), flags);
  }

  @Test
  void helpNamesTheTlsOptionsAndTheirDefault() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.execute(Terminal.streams(noInput(), out, out), "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String s : List.of("--tls=off|optional|required", "--tls-cert=FILE", "--tls-key=FILE",
        "required on a non-loopback --bind")) {
      assertTrue(help.contains(s), s + " in\n" + help);
    }
  }
}
