package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads over the FTP door keep the SelectFTP door's guarantees: a cut upload never shows under its real
 * name, curl, lftp and ftplib continue it to a byte-identical file, REST checks its offset, APPE appends, and
 * the quota refuses before (ALLO) or the moment (STOR) an upload would pass it. Real server, real clients.
 */
class FtpResumeTest {
  private static final long QUOTA = 1024 * 1024;
  private static final int FILE_BYTES = 300_000;
  private static final int CUT_AT = 100_000;
  private static final long CLIENT_SECONDS = 60;
  private static final long SETTLE_MILLIS = 5_000;
  /** What a client may push at an upload the quota stops at 1 MiB before the server must have cut it off. */
  private static final long CUT_OFF_BY = 32L * 1024 * 1024;
  private static final Pattern EPSV = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");

  @TempDir Path dir;
  private FtpServer server;
  private Path home;
  private byte[] file;
  private Path local;

  @BeforeEach
  void start() throws Exception {
    server = FtpServer.start(ServerConfig.forTests(dir.resolve("data")).withFtpPort(0).withDefaultQuotaBytes(QUOTA));
    home = dir.resolve("data/home/xiaoyu");
    file = new byte[FILE_BYTES];
    new Random(11).nextBytes(file);
    local = dir.resolve("local.bin");
    Files.write(local, file);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private FtpLineClient login() throws IOException {
    FtpLineClient c = new FtpLineClient(server.ftpPort());
    assertEquals("230", code(c.login("xiaoyu", "123456")));
    return c;
  }

  private static String code(String reply) {
    return reply.substring(0, 3);
  }

  private static Socket data(FtpLineClient c) throws IOException {
    Matcher m = EPSV.matcher(c.command("EPSV"));
    assertTrue(m.find());
    Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)));
    s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(CLIENT_SECONDS));
    return s;
  }

  /** {@code verb name} with {@code bytes} over a fresh data connection; returns the final reply. */
  private static String send(FtpLineClient c, String command, byte[] bytes, int from) throws IOException {
    try (Socket d = data(c)) {
      String first = c.command(command);
      if (!first.startsWith("150")) return first;
      d.getOutputStream().write(bytes, from, bytes.length - from);
    }
    return c.reply();
  }

  /**
   * Sends the first {@code count} bytes of {@code bytes} as STOR of {@code name}, then closes both
   * connections at once, as the kernel does for a killed client; waits until the server holds the partial.
   */
  private void cut(String name, byte[] bytes, int count) throws Exception {
    try (FtpLineClient c = login(); Socket d = data(c)) {
      assertEquals("150", code(c.command("STOR " + name)));
      d.getOutputStream().write(bytes, 0, count);
      d.getOutputStream().flush();
    }
    assertEquals(count, settledSize(name), "every byte sent before the cut is held");
  }

  /** SIZE once no session holds the name (a cut upload settles within the hang-up grace). */
  private long settledSize(String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
    try (FtpLineClient c = login()) {
      while (true) {
        String reply = c.command("SIZE " + name);
        if (reply.startsWith("213")) return Long.parseLong(reply.substring(4).strip());
        assertTrue(System.nanoTime() < deadline, "SIZE never answered: " + reply);
        Thread.sleep(20);
      }
    }
  }

  private String[] run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    assertTrue(p.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS), "client hung: " + command);
    return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
  }

  private static boolean onPath(String tool) {
    try {
      return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void anUploadWhoseClientHangsUpIsNotPublishedAndCurlContinuesItToAByteIdenticalFile() throws Exception {
    assumeTrue(onPath("curl"), "curl is not installed");
    cut("c.bin", file, CUT_AT);
    assertFalse(Files.exists(home.resolve("c.bin")), "the cut upload is not under its real name");

    String[] put = run(List.of("curl", "-sS", "-v", "-C", "-", "-T", local.toString(),
        "ftp://xiaoyu:123456@127.0.0.1:" + server.ftpPort() + "/c.bin"));
    assertEquals("0", put[0], put[1]);
    assertTrue(put[1].contains("> SIZE c.bin") && put[1].contains("< 213 " + CUT_AT), put[1]);
    assertTrue(put[1].contains("> APPE c.bin"), put[1]);
    assertTrue(put[1].contains("226 stored /c.bin; SHA-256 " + sha256(file)), "hashed across both connections");
    assertEquals(sha256(file), sha256(Files.readAllBytes(home.resolve("c.bin"))));
  }

  @Test
  void lftpPutDashCContinuesACutUploadWithRestAndStor() throws Exception {
    assumeTrue(onPath("lftp"), "lftp is not installed");
    cut("l.bin", file, CUT_AT);
    String[] put = run(List.of("lftp", "-u", "xiaoyu,123456", "-e",
        "set ftp:ssl-allow no; set net:max-retries 1; debug 5; put -c " + local + " -o l.bin; quit",
        "127.0.0.1:" + server.ftpPort()));
    assertEquals("0", put[0], put[1]);
    assertTrue(put[1].contains("---> REST " + CUT_AT) && put[1].contains("---> STOR l.bin"), put[1]);
    assertEquals(sha256(file), sha256(Files.readAllBytes(home.resolve("l.bin"))));
  }

  @Test
  void ftplibStorbinaryWithRestContinuesACutUpload() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed");
    cut("p.bin", file, CUT_AT);
    Path script = dir.resolve("ftplib_resume.py");
    try (InputStream in = getClass().getResourceAsStream("/ftp/ftplib_resume.py")) {
      Files.write(script, in.readAllBytes());
    }
    String[] put = run(List.of("python3", script.toString(), String.valueOf(server.ftpPort()), "p.bin",
        local.toString()));
    assertEquals("0", put[0], put[1]);
    assertTrue(put[1].contains("held " + CUT_AT), put[1]);
    assertEquals(sha256(file), sha256(Files.readAllBytes(home.resolve("p.bin"))));
  }

  @Test
  void appeOntoAnExistingFileAppendsAndNamesTheWholeFilesSha256() throws Exception {
    byte[] whole = "hello, world".getBytes(StandardCharsets.UTF_8);
    try (FtpLineClient c = login()) {
      assertEquals("226", code(send(c, "STOR a.txt", java.util.Arrays.copyOf(whole, 7), 0)));
      String appended = send(c, "APPE a.txt", whole, 7);
      assertEquals("226 stored /a.txt; SHA-256 " + sha256(whole), appended);
      assertEquals("226", code(send(c, "APPE new.txt", whole, 0)), "APPE of a new name stores it");
    }
    assertEquals("hello, world", Files.readString(home.resolve("a.txt")));
    assertEquals("hello, world", Files.readString(home.resolve("new.txt")));
  }

  @Test
  void restAtAnOffsetTheServerDoesNotHoldIsRefusedAndLosesNothing() throws Exception {
    cut("r.bin", file, CUT_AT);
    try (FtpLineClient c = login()) {
      for (int wrong : new int[] {CUT_AT - 1, CUT_AT + 1}) {
        assertEquals("350", code(c.command("REST " + wrong)));
        String refused = send(c, "STOR r.bin", file, wrong);
        assertEquals("554", code(refused), refused);
        assertTrue(refused.contains("holds " + CUT_AT), refused);
      }
      assertEquals("213 " + CUT_AT, c.command("SIZE r.bin"), "the refused offsets cost no byte");
      assertEquals("350", code(c.command("REST " + CUT_AT)));
      assertEquals("226 stored /r.bin; SHA-256 " + sha256(file), send(c, "STOR r.bin", file, CUT_AT));
    }
    assertEquals(sha256(file), sha256(Files.readAllBytes(home.resolve("r.bin"))));

    cut("z.bin", file, CUT_AT);
    byte[] other = "started over".getBytes(StandardCharsets.UTF_8);
    try (FtpLineClient c = login()) {
      assertEquals("350", code(c.command("REST 0")));
      assertEquals("226", code(send(c, "STOR z.bin", other, 0)), "REST 0 + STOR starts over");
    }
    assertEquals("started over", Files.readString(home.resolve("z.bin")));
  }

  @Test
  void anUploadInFlightOrCutIsInvisibleToListingsDownloadsAndOtherSessions() throws Exception {
    try (FtpLineClient writer = login(); Socket d = data(writer); FtpLineClient other = login()) {
      assertEquals("150", code(writer.command("STOR hidden.bin")));
      d.getOutputStream().write(file, 0, CUT_AT);
      d.getOutputStream().flush();
      Thread.sleep(200); // the bytes are in the partial now
      assertFalse(names(other).contains("hidden.bin"));
      assertEquals("550", code(other.command("SIZE hidden.bin")), "a live upload is nobody else's business");
      assertEquals("550", code(other.command("MDTM hidden.bin")));
      try (Socket otherData = data(other)) { // with a data connection, so the refusal is the lock's, not 425's
        assertEquals("450", code(other.command("STOR hidden.bin")), "one writer per name");
      }
    }
    assertEquals(CUT_AT, settledSize("hidden.bin"), "once cut, SIZE answers its owner where to resume");
    try (FtpLineClient c = login()) {
      assertFalse(names(c).contains("hidden.bin"));
      String listing = new String(listing(c, "LIST"), StandardCharsets.UTF_8);
      assertFalse(listing.contains("hidden") || listing.contains("selectftp-part"), listing);
      assertEquals("550", code(c.command("MDTM hidden.bin")));
      try (Socket d = data(c)) {
        assertEquals("550", code(c.command("RETR hidden.bin")));
      }
    }
    assertFalse(Files.exists(home.resolve("hidden.bin")));
  }

  private static String names(FtpLineClient c) throws IOException {
    return new String(listing(c, "NLST"), StandardCharsets.UTF_8);
  }

  private static byte[] listing(FtpLineClient c, String command) throws IOException {
    try (Socket d = data(c)) {
      assertEquals("150", code(c.command(command)));
      byte[] bytes = d.getInputStream().readAllBytes();
      assertEquals("226", code(c.reply()));
      return bytes;
    }
  }

  @Test
  void alloGets552BeforeAnyByteWhenTheRoomIsNotThere() throws Exception {
    try (FtpLineClient a = login(); FtpLineClient b = login(); Socket bData = data(b)) {
      assertEquals("552", code(a.command("ALLO " + 2 * QUOTA)), "more than the quota: refused at once");
      assertEquals("501", code(a.command("ALLO lots")));
      long room = QUOTA * 6 / 10;
      assertEquals("200", code(a.command("ALLO " + room)));
      assertEquals("200", code(b.command("ALLO " + room + " R 512")));
      assertEquals("150", code(b.command("STOR b.bin")), "b reserves its room before its first byte");
      String refused = send(a, "STOR a.bin", file, 0);
      assertEquals("552", code(refused), "a's room went to b meanwhile: 552 before the 150: " + refused);
      bData.getOutputStream().write(file, 0, 1000);
      bData.close();
      assertEquals("226", code(b.reply()));
    }
    assertFalse(Files.exists(home.resolve("a.bin")));
    assertEquals(1000, Files.size(home.resolve("b.bin")));
  }

  @Test
  void storPastTheQuotaIsCutOffWith552AndTheOldFileStays() throws Exception {
    byte[] before = Files.readAllBytes(home.resolve("sample.bin"));
    long pushed = 0;
    try (FtpLineClient c = login(); Socket d = data(c)) {
      assertEquals("150", code(c.command("STOR sample.bin")));
      byte[] chunk = new byte[64 * 1024];
      OutputStream out = d.getOutputStream();
      try {
        while (pushed < CUT_OFF_BY) {
          out.write(chunk);
          pushed += chunk.length;
        }
      } catch (IOException cutOff) {
        // the server closed the data connection once the quota was passed
      }
      assertTrue(pushed < CUT_OFF_BY, "the server stopped reading once past the quota, not at the end");
      String reply = c.reply();
      assertEquals("552", code(reply), reply);
    }
    assertEquals(sha256(before), sha256(Files.readAllBytes(home.resolve("sample.bin"))), "the old file stays");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.ftpPort())) {
      assertTrue(s.isConnected(), "the server still serves");
    }
  }
}
