package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.tls.SelfSigned;
import dev.selectftp.server.tls.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real FTPS clients (curl with OpenSSL, lftp with GnuTLS, Python's ftplib) against the real server's FTP door
 * with {@code --tls required} and the self-signed certificate it generates into the test's folder: AUTH TLS,
 * PROT P, every data connection resuming the control connection's TLS session.
 */
class FtpsInteropTest {
  private static final long CLIENT_SECONDS = 60;
  private static final int FILE_BYTES = 700_000;

  @TempDir static Path dir;
  static FtpServer server;
  static Path cert;

  @BeforeAll
  static void start() throws Exception {
    Path data = dir.resolve("data");
    server = FtpServer.start(ServerConfig.forTests(data).withFtpPort(0)
        .withTls(new TlsSettings(TlsOffer.REQUIRED, null, null)));
    cert = SelfSigned.certFile(data);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  static boolean onPath(String tool) {
    try {
      return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Runs a client; returns its exit code and output. */
  static String[] run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    assertTrue(p.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS), "client hung: " + command);
    return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  static Path randomFile(String name, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  private String base() {
    return "ftp://xiaoyu:123456@127.0.0.1:" + server.ftpPort() + "/";
  }

  @Test
  void curlWithSslReqdListsUploadsAndDownloadsOverProtPWithTheSameSha256() throws Exception {
    assumeTrue(onPath("curl"), "curl is not installed");
    List<String> curl = List.of("curl", "-sS", "-v", "--ssl-reqd", "--cacert", cert.toString());
    String[] list = run(concat(curl, base()));
    assertEquals("0", list[0], list[1]);
    assertTrue(list[1].contains("PROT P"), list[1]);
    assertTrue(list[1].contains("sample.bin"), list[1]);

    Path up = randomFile("curl-up.bin", FILE_BYTES, 1);
    String[] put = run(concat(curl, "-T", up.toString(), base() + "curl-up.bin"));
    assertEquals("0", put[0], put[1]);
    assertTrue(put[1].contains("226 stored /curl-up.bin; SHA-256 " + sha256(up)), put[1]);
    assertEquals(sha256(up), sha256(dir.resolve("data/home/xiaoyu/curl-up.bin")));

    Path down = dir.resolve("curl-down.bin");
    String[] get = run(concat(curl, "-o", down.toString(), base() + "curl-up.bin"));
    assertEquals("0", get[0], get[1]);
    assertEquals(sha256(up), sha256(down));
  }

  static List<String> concat(List<String> head, String... tail) {
    List<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
