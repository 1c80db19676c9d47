package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.keys.KeyCache;
import dev.selectftp.common.ScramClient;
import dev.selectftp.common.ScramKeys;
import dev.selectftp.testing.LiveServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SCRAM key cache, seen from outside: each login is its own client process (so no key survives in
 * memory between them) against a server whose account asks for the production 600,000 PBKDF2 iterations.
 */
class KeyCacheTest {
  private static final int ITERATIONS = 600_000;
  private static final Pattern SALT = Pattern.compile("\"salt\"\\s*:\\s*\"([^\"]+)\"");
  /** What the client logs when a login used cached keys instead of deriving them. */
  private static final String CACHED = "(cached keys)";
  private static final Pattern TIME = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");

  @TempDir Path dir;
  @RegisterExtension final LiveServer server = LiveServer.notStarted();

  private record Run(int exit, String err, String log) {}

  /** From the client log's timestamps: connected (the server's hello read) to logged in. */
  private static long loginMillis(String log) {
    return millisOfLine(log, "logged in as") - millisOfLine(log, "connected to");
  }

  private static long millisOfLine(String log, String containing) {
    String line = log.lines().filter(l -> l.contains(containing)).findFirst().orElseThrow();
    Matcher time = TIME.matcher(line);
    assertTrue(time.find(), line);
    return java.time.LocalTime.parse(time.group()).toNanoOfDay() / 1_000_000;
  }

  private Path cacheFile() {
    return dir.resolve("home/.selectftp/" + KeyCache.FILE_NAME);
  }

  /** Runs the client as its own JVM with {@code dir/home} as home; returns what a script would see. */
  private Run client(String password, String... more) throws Exception {
    Path logs = dir.resolve("logs-" + System.nanoTime()); // a fresh folder: this run's log alone
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Duser.home=" + dir.resolve("home"), "-Dselectftp.logDir=" + logs, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "-P", String.valueOf(server.port()), "--no-tls", "-u", LiveServer.DEMO_USER, "-p",
        password));
    command.addAll(List.of(more));
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the client ended");
    // client.log from the jar's logging setup, test.log from the test classpath's.
    StringBuilder log = new StringBuilder();
    for (String name : List.of("client.log", "test.log")) {
      if (Files.exists(logs.resolve(name))) log.append(Files.readString(logs.resolve(name)));
    }
    return new Run(process.exitValue(), err, log.toString());
  }

  private ScramClient.Challenge demoChallenge() throws Exception {
    Matcher salt = SALT.matcher(Files.readString(server.dataDir().resolve("users.json")));
    assertTrue(salt.find(), "the demo account's salt");
    return new ScramClient.Challenge(Base64.getDecoder().decode(salt.group(1)), ITERATIONS);
  }

  @Test
  void keyCacheFileIsOwnerOnlyAndSecondLoginSkipsDerivation() throws Exception {
    server.start(config -> config.withIterations(ITERATIONS));
    Run first = client("123456", "ls");
    assertEquals(0, first.exit(), first.err());
    assertFalse(first.log().contains(CACHED), "the first login derives");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheFile())));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheFile().getParent())));

    String file = Files.readString(cacheFile());
    ScramKeys keys = ScramKeys.derive(LiveServer.DEMO_PASSWORD, demoChallenge().salt(), ITERATIONS);
    Base64.Encoder b64 = Base64.getEncoder();
    assertFalse(file.contains("123456"), "no password in the file");
    assertFalse(file.contains(b64.encodeToString(keys.clientKey())), "no plain ClientKey in the file");
    assertFalse(file.contains(b64.encodeToString(keys.serverKey())), "no plain ServerKey in the file");

    Run second = client("123456", "ls");
    assertEquals(0, second.exit(), second.err());
    assertTrue(second.log().contains(CACHED), "the second login used the cache: " + second.log());
    // 600,000 PBKDF2 iterations cost a cold JVM about a second; opening the cache's seal costs 10,000, and
    // both logins pay the same round trips and cold crypto classes besides.
    long derived = loginMillis(first.log());
    long cached = loginMillis(second.log());
    assertTrue(cached * 2 < derived, "login with cached keys " + cached + " ms, deriving " + derived + " ms");
  }

  @Test
  void wrongPasswordWithACachedEntryIsRefusedWithExitOne() throws Exception {
    server.start(); // the test iteration count: this one is about refusals, not time
    assertEquals(0, client("123456", "ls").exit());
    String cached = Files.readString(cacheFile());

    Run wrong = client("654321", "ls");
    assertEquals(1, wrong.exit(), wrong.err());
    assertTrue(wrong.err().startsWith("error: "), wrong.err());
    assertFalse(wrong.log().contains(CACHED), "a wrong password never opens the entry");
    assertEquals(cached, Files.readString(cacheFile()), "a typo does not cost the entry");

    Run right = client("123456", "ls");
    assertEquals(0, right.exit(), right.err());
    assertTrue(right.log().contains(CACHED), right.log());
  }

  @Test
  void noKeyCacheWritesNoFileAndReadsNone() throws Exception {
    server.start(); // the test iteration count: this one is about the file, not time
    Run off = client("123456", "--no-key-cache", "ls");
    assertEquals(0, off.exit(), off.err());
    assertFalse(Files.exists(cacheFile()), "nothing written");

    assertEquals(0, client("123456", "ls").exit());
    assertTrue(Files.exists(cacheFile()));
    Run offAgain = client("123456", "--no-key-cache", "ls");
    assertEquals(0, offAgain.exit(), offAgain.err());
    assertFalse(offAgain.log().contains(CACHED), "nothing read");
  }

  @Test
  void keysTheServerRefusesAreDroppedAndTheNextLoginDerives() throws Exception {
    server.start(); // the test iteration count: this one is about the refusal, not the time
    Path file = dir.resolve("scram-keys");
    KeyCache cache = KeyCache.at(file, "127.0.0.1", server.port());
    try (FtpClient client = server.connect()) {
      client.login(LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, cache);
    }
    ScramClient.Challenge challenge = challengeOf(file);
    // Keys that open with the right password but are not the account's: what a changed account looks like.
    ScramKeys wrongKeys = ScramKeys.derive("another".toCharArray(), challenge.salt(), challenge.iterations());
    cache.keep(LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, challenge, wrongKeys);
    assertEquals(wrongKeys, cache.find(LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, challenge));

    try (FtpClient client = server.connect()) {
      FtpException refused = org.junit.jupiter.api.Assertions.assertThrows(FtpException.class,
          () -> client.login(LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, cache));
      assertEquals(dev.selectftp.common.ErrorCode.AUTH_FAILED, refused.code());
    }
    assertEquals(null, cache.find(LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, challenge), "dropped");
    try (FtpClient client = server.connect()) {
      client.login(LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, cache);
    }
    ScramKeys right = ScramKeys.derive(LiveServer.DEMO_PASSWORD, challenge.salt(), challenge.iterations());
    assertEquals(right, cache.find(LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, challenge), "kept again");
    assertEquals(null, cache.find(LiveServer.DEMO_USER, "654321".toCharArray(), challenge), "sealed");
  }

  /** The salt and count of the demo account, as its one cache entry names them. */
  private ScramClient.Challenge challengeOf(Path file) throws Exception {
    String entry = Files.readAllLines(file).stream().filter(l -> l.startsWith("v1 ")).findFirst().orElseThrow();
    String[] fields = entry.split(" ");
    return new ScramClient.Challenge(Base64.getDecoder().decode(fields[3]), Integer.parseInt(fields[4]));
  }
}
