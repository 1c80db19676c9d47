package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FTP clients (curl, Python's ftplib) against the real server's FTP door on loopback. */
class FtpInteropTest {
  /** The demo user's quota here: room for the sample files and small uploads, not for {@link #TOO_BIG}. */
  private static final long QUOTA = 1024 * 1024;
  private static final int TOO_BIG = 2 * 1024 * 1024;
  private static final long CLIENT_SECONDS = 60;
  private static final int CONCURRENT_CLIENTS = 20;

  @TempDir Path dir;
  private FtpServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    server = FtpServer.start(ServerConfig.forTests(dir.resolve("data")).withFtpPort(0).withDefaultQuotaBytes(QUOTA));
    base = "ftp://xiaoyu:123456@127.0.0.1:" + server.ftpPort() + "/";
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static boolean onPath(String tool) {
    try {
      return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Runs a client; returns its exit code and output. */
  private String[] run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    assertTrue(p.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS), "client hung: " + command);
    return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void curlListsUploadsAndDownloadsWithTheSameSha256BothWays() throws Exception {
    assumeTrue(onPath("curl"), "curl is not installed");
    String[] list = run(List.of("curl", "-sS", base));
    assertEquals("0", list[0], list[1]);
    assertTrue(list[1].lines().anyMatch(l -> l.matches("-rw-r--r-- 1 ftp ftp +65536 \\w{3} \\d\\d .{5} sample\\.bin")),
        list[1]);

    Path up = dir.resolve("up.bin");
    byte[] bytes = new byte[300_000];
    new Random(7).nextBytes(bytes);
    Files.write(up, bytes);
    String[] put = run(List.of("curl", "-sS", "-v", "-T", up.toString(), base + "up.bin"));
    assertEquals("0", put[0], put[1]);
    assertTrue(put[1].contains("226 stored /up.bin; SHA-256 " + sha256(up)), put[1]);
    assertEquals(sha256(up), sha256(dir.resolve("data/home/xiaoyu/up.bin")));

    Path down = dir.resolve("down.bin");
    String[] get = run(List.of("curl", "-sS", "-o", down.toString(), base + "up.bin"));
    assertEquals("0", get[0], get[1]);
    assertEquals(sha256(up), sha256(down));

    Path part = dir.resolve("part.bin");
    Files.write(part, java.util.Arrays.copyOf(bytes, 123_457));
    String[] resume = run(List.of("curl", "-sS", "-C", "-", "-o", part.toString(), base + "up.bin"));
    assertEquals("0", resume[0], resume[1]);
    assertEquals(sha256(up), sha256(part), "REST + RETR continues the download");
  }

  @Test
  void ftplibDrivesLoginListingTransfersQuotaAndTheJail() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed");
    Path script = dir.resolve("ftplib_session.py");
    try (InputStream in = getClass().getResourceAsStream("/ftp/ftplib_session.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of("python3", script.toString(),
        String.valueOf(server.ftpPort()), String.valueOf(TOO_BIG)));
    String[] result = run(command);
    assertEquals("0", result[0], result[1]);
    assertTrue(result[1].contains("OK quit"), result[1]);
  }

  @Test
  void twentyFtplibClientsAtOnceEachStoreAndReadBackTheirOwnFile() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed");
    Path script = dir.resolve("ftplib_concurrent.py");
    try (InputStream in = getClass().getResourceAsStream("/ftp/ftplib_concurrent.py")) {
      Files.write(script, in.readAllBytes());
    }
    String[] result = run(List.of("python3", script.toString(), String.valueOf(server.ftpPort()),
        String.valueOf(CONCURRENT_CLIENTS)));
    assertEquals("0", result[0], result[1]);
    assertTrue(result[1].contains("failures: 0"), result[1]);
    for (int n = 0; n < CONCURRENT_CLIENTS; n++) {
      assertEquals(30_000 + n, Files.size(dir.resolve("data/home/xiaoyu/c" + n + ".bin")));
    }
  }
}
