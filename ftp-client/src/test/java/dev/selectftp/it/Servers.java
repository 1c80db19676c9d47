package dev.selectftp.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.FtpClient;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Starts the real {@link FtpServer} on a loopback port over a temporary data folder, connects real
 * {@link FtpClient}s to it, and knows where the server keeps a user's files. Also holds the small data
 * helpers every integration test needs (seeded random bytes, an independent SHA-256).
 */
final class Servers {
  static final String DEMO_USER = "xiaoyu";
  static final char[] DEMO_PASSWORD = "123456".toCharArray();
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  static final String PARTIAL_SUFFIX = ".selectftp-part";

  private Servers() {}

  /** A server over {@code dataDir} with the test defaults (fast PBKDF2, port 0). */
  static FtpServer start(Path dataDir) throws IOException {
    return FtpServer.start(ServerConfig.forTests(dataDir));
  }

  /** A server whose new accounts get {@code quotaBytes}. */
  static FtpServer start(Path dataDir, long quotaBytes) throws IOException {
    return FtpServer.start(ServerConfig.forTests(dataDir).withDefaultQuotaBytes(quotaBytes));
  }

  static FtpClient connect(FtpServer server) throws IOException {
    return FtpClient.connect("127.0.0.1", server.port(), TIMEOUT);
  }

  static FtpClient login(FtpServer server, String user, char[] password) throws IOException {
    FtpClient client = connect(server);
    try {
      client.login(user, password);
      return client;
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  static FtpClient loginDemo(FtpServer server) throws IOException {
    return login(server, DEMO_USER, DEMO_PASSWORD);
  }

  /** Registers {@code user} (registration does not log in) and returns a logged-in client for it. */
  static FtpClient registerAndLogin(FtpServer server, String user, char[] password) throws IOException {
    try (FtpClient client = connect(server)) {
      client.register(user, password);
    }
    return login(server, user, password);
  }

  /** {@code <data>/home/<user>}, where the server keeps the user's files. */
  static Path home(FtpServer server, String user) {
    return server.config().dataDir().resolve("home").resolve(user);
  }

  /** The hidden partial beside {@code file}: {@code .NAME.selectftp-part} (server and client use the same). */
  static Path partialOf(Path file) {
    return file.resolveSibling("." + file.getFileName() + PARTIAL_SUFFIX);
  }

  /** {@code size} bytes from a {@link Random} seeded with {@code seed}: reproducible, incompressible. */
  static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code size} seeded random bytes to {@code file} and returns them. */
  static byte[] writeRandom(Path file, long seed, int size) throws IOException {
    byte[] bytes = randomBytes(seed, size);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, bytes);
    return bytes;
  }

  /** Hex SHA-256 computed here with {@link MessageDigest}, independently of client and server code. */
  static String sha256(byte[] bytes) {
    return sha256(bytes, bytes.length);
  }

  static String sha256(byte[] bytes, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, 0, length);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String sha256(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }

  /** Polls {@code condition} every 10 ms until it holds or {@code timeout} passes; fails the test if not. */
  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        assertTrue(condition.getAsBoolean(), "timed out waiting until " + what);
        return;
      }
      Thread.sleep(10);
    }
  }

  /** Size of {@code file}, or -1 when it does not exist. */
  static long sizeOrMissing(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
