package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ABOR during a transfer (RFC 959: 426 for the transfer, then 226 for the ABOR), and what the control
 * connection does with other commands while a transfer runs: NOOP and STAT at once, the rest (QUIT too)
 * held and answered in order after the transfer's final reply.
 */
class FtpAbortTest {
  /** Far more than the socket buffers hold, so a RETR of it stalls while the client reads nothing. */
  private static final long BIG_BYTES = 64L * 1024 * 1024;
  private static final byte[] IAC_IP_IAC_DM = {(byte) 0xFF, (byte) 0xF4, (byte) 0xFF, (byte) 0xF2};

  @TempDir Path dir;
  private FtpServer server;
  private Path home;

  @BeforeEach
  void start() throws Exception {
    server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0));
    home = dir.resolve("home/xiaoyu");
    try (RandomAccessFile raf = new RandomAccessFile(home.resolve("big.bin").toFile(), "rw")) {
      raf.setLength(BIG_BYTES);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static final String FTPLIB_ABORT = """
      import ftplib, hashlib, io, sys, time
      f = ftplib.FTP()
      f.connect("127.0.0.1", int(sys.argv[1]), timeout=20)
      f.login("xiaoyu", "123456")
      conn = f.transfercmd("RETR big.bin")
      got = conn.recv(65536)
      print("retr-abort", f.abort(), "|", f.voidresp())
      conn.close()
      print("noop", f.sendcmd("NOOP"))
      buf = io.BytesIO()
      f.retrbinary("RETR welcome.txt", buf.write)
      print("retr-after", hashlib.sha256(buf.getvalue()).hexdigest())
      conn = f.transfercmd("STOR up.bin")
      conn.sendall(b"u" * 100000)
      time.sleep(0.5)
      print("stor-abort", f.abort(), "|", f.voidresp())
      conn.close()
      print("nlst", ",".join(f.nlst()))
      print("abor-idle", f.sendcmd("ABOR"))
      f.quit()
      """;

  @Test
  void ftplibAbortsARetrAndAStorEachWith426Then226AndTheSessionGoesOn() throws Exception {
    assumeTrue(FtpTools.onPath("python3"), "python3 is not installed");
    FtpTools.Ran ran = FtpTools.python(dir, "abort.py", FTPLIB_ABORT, server.ftpPort());
    assertEquals(0, ran.exit(), ran.output());
    String out = ran.output();
    assertTrue(out.contains("retr-abort 426 transfer aborted; data connection closed | 226 abort done\n"), out);
    assertTrue(out.contains("noop 200"), out);
    byte[] welcome = Files.readAllBytes(home.resolve("welcome.txt"));
    assertTrue(out.contains("retr-after " + java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(welcome))), out);
    assertTrue(out.contains("stor-abort 426 transfer aborted; data connection closed | 226 abort done\n"), out);
    assertTrue(out.contains("nlst big.bin,notes,sample.bin,welcome.txt\n"), "nothing under up.bin: " + out);
    assertTrue(out.contains("abor-idle 226"), out);
    assertFalse(Files.exists(home.resolve("up.bin")), "an aborted upload is never published");
    assertEquals(100_000, Files.size(home.resolve(".up.bin.selectftp-part")), "its partial stays, resumable");
  }

  @Test
  void telnetInterruptAndSynchThenAborCutARetr() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      Socket data = FtpTools.passive(c);
      assertTrue(c.command("RETR big.bin").startsWith("150"));
      c.sendRaw(IAC_IP_IAC_DM);
      assertEquals("426", c.command("ABOR").substring(0, 3));
      assertEquals("226", c.reply().substring(0, 3));
      InputStream in = data.getInputStream();
      long read = 0;
      for (int n; (n = in.read(new byte[65536])) > 0; ) read += n;
      assertTrue(read < BIG_BYTES, "the data connection was closed early: " + read);
      data.close();
      assertEquals("257", c.command("PWD").substring(0, 3));
    }
  }

  @Test
  void noopStatAndAborSentInTheSameWriteAsRetrWaitForItsFinalReply() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      try (Socket data = FtpTools.passive(c)) {
        // Read before the 150 went out: held like any command, so they cannot answer before the 226.
        c.sendRaw("RETR big.bin\r\nNOOP\r\nSTAT\r\nABOR\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("150", c.reply().substring(0, 3));
        assertEquals(BIG_BYTES, bytesUntilEnd(data), "the ABOR did not cut the download");
      }
      assertEquals("226", c.reply().substring(0, 3));
      assertEquals("200", c.reply().substring(0, 3));
      String status = c.reply();
      assertTrue(status.startsWith("211-") && status.contains("\n no transfer in progress"), status);
      assertEquals("226 no transfer to abort", c.reply());
    }
  }

  @Test
  void noopAndStatAreAnsweredDuringATransferAndOtherCommandsWaitForItsEndInOrder() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      try (Socket data = FtpTools.passive(c)) {
        assertTrue(c.command("RETR big.bin").startsWith("150"));
        assertEquals("200", c.command("NOOP").substring(0, 3), "NOOP during the transfer");
        String status = c.command("STAT");
        assertTrue(status.contains("\n in progress: sending /big.bin (" + BIG_BYTES + " bytes)\n"), status);
        // Pipelined: held behind the transfer, then answered in the order sent.
        c.sendRaw("PWD\r\nCWD notes\r\nPWD\r\nABOR\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(200);
        assertFalse(c.replyWaiting(), "nothing answered before the transfer's final reply");
        assertEquals(BIG_BYTES, bytesUntilEnd(data));
      }
      assertEquals("226", c.reply().substring(0, 3));
      assertEquals("257 \"/\" is the current folder", c.reply());
      assertEquals("250", c.reply().substring(0, 3));
      assertEquals("257 \"/notes\" is the current folder", c.reply());
      assertEquals("226 no transfer to abort", c.reply(), "an ABOR behind a held command waits its turn");
      assertEquals("221", c.reply().substring(0, 3), "QUIT after the transfer's result");
      assertEquals(null, c.reply());
    }
  }

  /** Reads the data connection to its end; returns how many bytes came. */
  private static long bytesUntilEnd(Socket data) throws java.io.IOException {
    long read = 0;
    InputStream in = data.getInputStream();
    for (int n; (n = in.read(new byte[1 << 16])) > 0; ) read += n;
    return read;
  }

  @Test
  void aClientThatHalfClosesAfterRetrStillGetsTheDataAndTheFinalReply() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      try (Socket data = FtpTools.passive(c)) {
        c.sendRaw("RETR big.bin\r\n".getBytes(StandardCharsets.US_ASCII));
        c.shutdownOutput();
        assertTrue(c.reply().startsWith("150"));
        long read = 0;
        InputStream in = data.getInputStream();
        for (int n; (n = in.read(new byte[1 << 16])) > 0; ) read += n;
        assertEquals(BIG_BYTES, read);
      }
      assertTrue(c.reply().startsWith("226"));
      assertEquals(null, c.reply(), "then the server closes");
    }
  }

  @Test
  void anUploadWhoseClientHalfClosesItsControlConnectionKeepsEveryByteSentAndTheServerCloses() throws Exception {
    byte[] sent = new byte[10_000];
    new java.util.Random(3).nextBytes(sent);
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      try (Socket data = FtpTools.passive(c)) {
        assertTrue(c.command("STOR gone.bin").startsWith("150"));
        c.shutdownOutput(); // as a killed client's kernel does, just before the data connection's end
        Thread.sleep(100);
        data.getOutputStream().write(sent);
      }
      assertEquals(null, c.reply(), "the server closes: the client is gone");
    }
    Path partial = home.resolve(".gone.bin.selectftp-part");
    Path file = home.resolve("gone.bin");
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (!Files.exists(file) && !(Files.exists(partial) && Files.size(partial) == sent.length)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    // Whether a cut upload is published is the uploads' rule; no byte the client sent may be lost.
    byte[] held = Files.readAllBytes(Files.exists(file) ? file : partial);
    assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(sent)),
        java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(held)));
  }
}
