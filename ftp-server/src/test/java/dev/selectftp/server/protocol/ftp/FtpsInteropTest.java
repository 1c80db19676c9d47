package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    // TLS 1.2: the data connections resume by session ID or ticket instead of a TLS 1.3 PSK.
    Path down12 = dir.resolve("curl-down-12.bin");
    String[] get12 = run(concat(curl, "--tls-max", "1.2", "-o", down12.toString(), base() + "curl-up.bin"));
    assertEquals("0", get12[0], get12[1]);
    assertTrue(get12[1].contains("SSL connection using TLSv1.2"), get12[1]);
    assertEquals(sha256(up), sha256(down12));
    String[] put12 = run(concat(curl, "--tls-max", "1.2", "-T", up.toString(), base() + "curl-up-12.bin"));
    assertEquals("0", put12[0], put12[1]);
    assertEquals(sha256(up), sha256(dir.resolve("data/home/xiaoyu/curl-up-12.bin")));
  }

  @Test
  void lftpForcingTlsOnControlAndDataUploadsDownloadsAndLists() throws Exception {
    assumeTrue(onPath("lftp"), "lftp is not installed");
    Path up = randomFile("lftp-up.bin", FILE_BYTES, 4);
    Path down = dir.resolve("lftp-down.bin");
    String script = "set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no; "
        + "set net:max-retries 1; set cmd:fail-exit true; "
        + "open -u xiaoyu,123456 -p " + server.ftpPort() + " 127.0.0.1; "
        + "put " + up + " -o lftp-up.bin; get lftp-up.bin -o " + down + "; cls -l; quit";
    String[] result = run(List.of("lftp", "-d", "-c", script));
    assertEquals("0", result[0], result[1]);
    assertTrue(result[1].contains("PROT P"), result[1]);
    assertTrue(result[1].contains("lftp-up.bin"), result[1]);
    assertEquals(sha256(up), sha256(dir.resolve("data/home/xiaoyu/lftp-up.bin")));
    assertEquals(sha256(up), sha256(down));
  }

  private String[] ftplib(String mode, Path body) throws Exception {
    Path script = dir.resolve("ftplib_tls.py");
    try (InputStream in = getClass().getResourceAsStream("/ftp/ftplib_tls.py")) {
      Files.write(script, in.readAllBytes());
    }
    return run(List.of("python3", script.toString(), String.valueOf(server.ftpPort()), cert.toString(), mode,
        body.toString()));
  }

  @Test
  void ftplibWithTheSessionReusingSubclassUploadsDownloadsAndListsOverProtP() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed");
    Path body = randomFile("ftplib-body.bin", FILE_BYTES, 2);
    String[] result = ftplib("reuse", body);
    assertEquals("0", result[0], result[1]);
    assertTrue(result[1].contains("OK stored 226 stored /ftplib-tls.bin; SHA-256 " + sha256(body)), result[1]);
    assertTrue(result[1].contains("OK retrieved " + FILE_BYTES), result[1]);
    assertTrue(result[1].contains("OK listed"), result[1]);
    assertTrue(result[1].contains("OK quit"), result[1]);
    assertEquals(sha256(body), sha256(dir.resolve("data/home/xiaoyu/ftplib-tls.bin")));
  }

  @Test
  void plainFtplibWhoseDataConnectionDoesNotResumeTheSessionIsRefusedWith522AndNothingChanges() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed");
    Path stored = dir.resolve("data/home/xiaoyu/ftplib-tls.bin");
    byte[] before = "the file as it was".getBytes(StandardCharsets.UTF_8);
    Files.write(stored, before);
    String[] result = ftplib("no-reuse", randomFile("ftplib-other.bin", FILE_BYTES, 3));
    assertEquals("0", result[0], result[1]);
    assertTrue(result[1].contains("OK refused"), result[1]);
    assertTrue(result[1].contains("OK reply 522 TLS session reuse required"), result[1]);
    assertTrue(result[1].contains("OK quit"), result[1]);
    assertArrayEquals(before, Files.readAllBytes(stored), "the refused upload left the file untouched");
  }

  static List<String> concat(List<String> head, String... tail) {
    List<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
