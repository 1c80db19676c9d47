package dev.selectftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.RegistrationPolicy;
import dev.selectftp.server.admin.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's command line and config file: precedence defaults < file < flags, and clear errors. */
class MainConfigTest {
  @TempDir
  Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(Terminal.streams(new ByteArrayInputStream(new byte[0]), out, err), args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The settings {@code args} would serve with, without starting anything. */
  private static Settings parse(String... args) throws Settings.Invalid {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    var cmd = Main.commandLine(Terminal.streams(new ByteArrayInputStream(new byte[0]), sink, sink));
    cmd.parseArgs(args);
    return ((Main) cmd.getCommand()).settings();
  }

  private Path conf(String text) throws Exception {
    Path f = dir.resolve("server.properties");
    Files.writeString(f, text);
    return f;
  }

  private static void assertUsageError(Result r, String... containing) {
    assertEquals(2, r.code(), r.toString());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), "one line: " + r);
    assertTrue(lines.get(0).startsWith("error: "), r.toString());
    for (String c : containing) assertTrue(lines.get(0).contains(c), "'" + c + "' in " + r);
  }

  /**
   * The defaults are the values README.md's option table documents, written here as literals: compared with
   * the production constants they would follow any change of those constants (600,000 iterations lowered to
   * 10,000 would pass).
   */
  @Test
  void defaultsWithoutFileOrFlagsAreTheDocumentedValues() throws Exception {
    Settings s = parse();
    assertEquals(Settings.defaults(), s);
    assertEquals("127.0.0.1", s.bind());
    assertEquals(2121, s.port());
    assertEquals(Path.of("data"), s.data());
    assertEquals(Path.of("logs"), s.logDir());
    assertEquals(1L << 30, s.defaultQuotaBytes());
    assertEquals(600_000, s.iterations());
    assertEquals(20_000, s.maxConnections());
    assertEquals(12_000, s.maxPerAddress());
    assertEquals(Duration.ofSeconds(30), s.loginTimeout());
    assertEquals(Duration.ofMinutes(10), s.idleTimeout());
    assertEquals(Duration.ofDays(7), s.partialMaxAge());
    assertEquals(100_000, s.maxFiles());
    assertEquals(2122, s.ftpPort());

    // What the server is really built with, not only what the command line holds.
    ServerConfig c = s.toServerConfig();
    assertEquals(600_000, c.iterations());
    assertEquals(20_000, c.maxConnections());
    assertEquals(12_000, c.maxPerAddress());
    assertEquals(1L << 30, c.defaultQuotaBytes());
    assertEquals(Duration.ofDays(7), c.partialMaxAge());
    assertEquals(2121, c.bind().getPort());
    assertEquals(600_000, ServerConfig.defaults(dir).iterations(), "the embedded server's default too");
  }

  @Test
  void fileOverridesDefaultsAndFlagsOverrideFile() throws Exception {
    Path f = conf("""
        # SelectFTP
        ! also a comment
        bind = 0.0.0.0
        port=3000
        data = /srv/ftp/data
        log-dir = logs2
        default-quota = 4GiB
        iterations: 100000
        max-connections = 500
        max-per-address = "50"
        login-timeout = 45s
        idle-timeout = 10m
        partial-max-age = 2d
        """);
    Settings file = parse("--config", f.toString());
    assertEquals("0.0.0.0", file.bind());
    assertEquals(3000, file.port());
    assertEquals(Path.of("/srv/ftp/data"), file.data());
    assertEquals(dir.resolve("logs2").toAbsolutePath(), file.logDir(), "relative to the config file's folder");
    assertEquals(4L << 30, file.defaultQuotaBytes());
    assertEquals(100_000, file.iterations());
    assertEquals(500, file.maxConnections());
    assertEquals(50, file.maxPerAddress());
    assertEquals(Duration.ofSeconds(45), file.loginTimeout());
    assertEquals(Duration.ofMinutes(10), file.idleTimeout());
    assertEquals(Duration.ofDays(2), file.partialMaxAge());

    Settings flags = parse("--config", f.toString(), "--port", "4000", "--default-quota", "8MiB",
        "--data", "here", "--idle-timeout", "90", "--log-dir=elsewhere");
    assertEquals(4000, flags.port());
    assertEquals(8L << 20, flags.defaultQuotaBytes());
    assertEquals(Path.of("here"), flags.data(), "flags stay relative to the working folder");
    assertEquals(Path.of("elsewhere"), flags.logDir());
    assertEquals(Duration.ofSeconds(90), flags.idleTimeout());
    assertEquals("0.0.0.0", flags.bind(), "untouched by flags: from the file");
    assertEquals(500, flags.maxConnections());

    Settings noFile = parse("--port", "4000");
    assertEquals(4000, noFile.port());
    assertEquals(Settings.defaults().defaultQuotaBytes(), noFile.defaultQuotaBytes());
  }

  @Test
  void settingsBecomeTheServerConfig() throws Exception {
    ServerConfig c = parse("--port", "0", "--default-quota", "2MiB", "--iterations", "5000",
        "--max-connections", "7", "--max-per-address", "3", "--login-timeout", "5", "--idle-timeout", "1h",
        "--partial-max-age", "12h")
        .toServerConfig();
    assertEquals(0, c.bind().getPort());
    assertTrue(c.bind().getAddress().isLoopbackAddress());
    assertEquals(2L << 20, c.defaultQuotaBytes());
    assertEquals(5000, c.iterations());
    assertEquals(7, c.maxConnections());
    assertEquals(3, c.maxPerAddress());
    assertEquals(Duration.ofSeconds(5), c.loginTimeout());
    assertEquals(Duration.ofHours(1), c.idleTimeout());
    assertEquals(Duration.ofHours(12), c.partialMaxAge());
  }

  /** Issue 9: registration control and the per-user file count, from the file and from flags. */
  @Test
  void registrationAndMaxFilesFromFileAndFlags() throws Exception {
    Settings defaults = parse();
    assertTrue(defaults.registrationOpen());
    assertEquals(10, defaults.registrationsPerAddress());
    assertEquals(200, defaults.registrationsPerHour());
    assertEquals(100_000, defaults.maxFiles());
    assertEquals(RegistrationPolicy.DEFAULT, defaults.toServerConfig().registration());

    Path f = conf("""
        registration = closed
        registrations-per-address = 2
        registrations-per-hour = 30
        max-files = 5000
        """);
    ServerConfig file = parse("--config", f.toString()).toServerConfig();
    assertEquals(new RegistrationPolicy(false, 2, 30), file.registration());
    assertEquals(5000, file.maxFiles());

    ServerConfig flags = parse("--config", f.toString(), "--registration", "OPEN", "--registrations-per-hour",
        "1000", "--max-files", "7").toServerConfig();
    assertEquals(new RegistrationPolicy(true, 2, 1000), flags.registration());
    assertEquals(7, flags.maxFiles());

    assertUsageError(run("--registration", "maybe"), "--registration", "neither open nor closed");
    assertUsageError(run("--registrations-per-address", "0"), "--registrations-per-address", "out of range");
    assertUsageError(run("--max-files", "-1"), "--max-files");
    assertUsageError(run("--config", conf("registration = ajar\n").toString()), "line 1", "registration");
  }

  @Test
  void unknownKeyIsAUsageErrorNamingTheLine() throws Exception {
    Path f = conf("port = 2121\nprot = 2122\n");
    assertUsageError(run("--config", f.toString()), "line 2", "unknown setting \"prot\"", "known settings: bind");
    f = conf("default_quota = 1GiB\n");
    assertUsageError(run("--config", f.toString()), "did you mean \"default-quota\"");
    f = conf("--port = 1\n");
    assertUsageError(run("--config", f.toString()), "did you mean \"port\"");
  }

  @Test
  void badSizeIsAUsageError() throws Exception {
    Path f = conf("default-quota = lots\n");
    assertUsageError(run("--config", f.toString()), "line 1", "default-quota", "not a size");
    assertUsageError(run("--default-quota", "12 parsecs"), "--default-quota", "not a size");
    assertUsageError(run("--default-quota", "5XB"), "unknown size unit");
  }

  @Test
  void otherBadValuesAndFiles() throws Exception {
    assertUsageError(run("--port", "http"), "--port", "not a whole number");
    assertUsageError(run("--port", "70000"), "--port", "out of range");
    assertUsageError(run("--iterations", "1000"), "--iterations", "out of range");
    assertUsageError(run("--max-connections", "0"), "--max-connections");
    assertUsageError(run("--idle-timeout", "soon"), "--idle-timeout", "not a duration");
    assertUsageError(run("--login-timeout", "0"), "--login-timeout", "more than zero");
    assertUsageError(run("--config", dir.resolve("missing.conf").toString()), "does not exist");
    assertUsageError(run("--config", conf("port 2121\n").toString()), "line 1", "expected \"key = value\"");
    assertUsageError(run("--config", conf("port = 1\nport = 2\n").toString()), "line 2", "already set on line 1");
    assertUsageError(run("--config", conf("port =\n").toString()), "has no value");
    assertUsageError(run("--config", conf("bind = no.such.host.invalid\nport = 0\n").toString()), "bind");
    assertUsageError(run("--no-such-option"), "--no-such-option");
    assertUsageError(run("serve-please"), "serve-please");
  }

  @Test
  void configFileParsing() throws Exception {
    Map<String, ConfigFile.Value> m = ConfigFile.parse(List.of("\uFEFF# bom", "", "  data = C:\\ftp\\data  ",
        "bind = ::1", "log-dir = 'my logs'"), "test");
    assertEquals("C:\\ftp\\data", m.get("data").text(), "no backslash escapes");
    assertEquals(3, m.get("data").line());
    assertEquals("::1", m.get("bind").text());
    assertEquals("my logs", m.get("log-dir").text());
    assertThrows(Settings.Invalid.class, () -> ConfigFile.parse(List.of("= 3"), "test"));
  }

  @Test
  void helpAndVersion() {
    Result help = run("--help");
    assertEquals(0, help.code());
    for (String option : List.of("--config", "--bind", "--port", "--data", "--default-quota", "--max-connections",
        "--max-per-address", "--idle-timeout", "--login-timeout", "--log-dir", "--iterations", "--partial-max-age",
        "--version",
        "user")) {
      assertTrue(help.out().contains(option), option + " in\n" + help.out());
    }
    Result version = run("--version");
    assertEquals(0, version.code());
    assertTrue(version.out().startsWith("SelectFTP server "), version.out());
  }

  @Test
  void servingFailsInOneLineWhenThePortIsTaken() throws Exception {
    try (var taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Result r = run("--port", String.valueOf(taken.getLocalPort()), "--data", dir.resolve("data").toString(),
          "--iterations", String.valueOf(ScramCredentials.MIN_ITERATIONS));
      assertEquals(3, r.code(), r.toString());
      assertEquals(1, r.err().lines().count(), r.toString());
      assertTrue(r.err().startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.toString());
    }
  }

  @Test
  void logDirIsChosenBeforeLoggingFromFlagsOrConfigFile() throws Exception {
    String savedDir = System.getProperty(Main.LOG_DIR_PROPERTY);
    String savedLevel = System.getProperty(Main.CONSOLE_LEVEL_PROPERTY);
    try {
      Path f = conf("log-dir = from-file\n");
      Main.prepareLogging(new String[] {"--config", f.toString()});
      assertEquals(dir.resolve("from-file").toAbsolutePath().toString(), System.getProperty(Main.LOG_DIR_PROPERTY));
      Main.prepareLogging(new String[] {"--config", f.toString(), "--log-dir", "from-flag"});
      assertEquals("from-flag", System.getProperty(Main.LOG_DIR_PROPERTY));
      Main.prepareLogging(new String[] {"user", "list", "--config", f.toString()});
      assertEquals(dir.resolve("from-file").toAbsolutePath().toString(), System.getProperty(Main.LOG_DIR_PROPERTY));
      // a bad command line leaves the folder alone; execute() reports the error
      System.setProperty(Main.LOG_DIR_PROPERTY, "kept");
      Main.prepareLogging(new String[] {"--port"});
      assertEquals("kept", System.getProperty(Main.LOG_DIR_PROPERTY));
      // admin commands keep their output clean: logs go to the file only
      System.clearProperty(Main.CONSOLE_LEVEL_PROPERTY);
      Main.prepareLogging(new String[] {"user", "list"});
      assertEquals("OFF", System.getProperty(Main.CONSOLE_LEVEL_PROPERTY));
      System.clearProperty(Main.CONSOLE_LEVEL_PROPERTY);
      Main.prepareLogging(new String[] {"--port", "2121"});
      assertFalse("OFF".equals(System.getProperty(Main.CONSOLE_LEVEL_PROPERTY)));
    } finally {
      restore(Main.LOG_DIR_PROPERTY, savedDir);
      restore(Main.CONSOLE_LEVEL_PROPERTY, savedLevel);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) System.clearProperty(key);
    else System.setProperty(key, value);
  }
}
