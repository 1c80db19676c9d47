package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.transfer.SparseFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HASH (draft-bryan-ftpext-hash) and XSHA256 against the real server. */
class FtpHashTest {
  /** A sparse file big enough that hashing it takes a while, cheap to make. */
  private static final long BIG_BYTES = 256L * 1024 * 1024;

  @TempDir Path dir;
  private FtpServer server;
  private Path home;

  @BeforeEach
  void start() throws Exception {
    server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0));
    home = dir.resolve("home/xiaoyu");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void hashNamesTheAlgorithmTheRangeTheDigestAndThePathAndXsha256TheDigestAlone() throws Exception {
    byte[] sample = Files.readAllBytes(home.resolve("sample.bin"));
    Files.write(home.resolve("empty"), new byte[0]);
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      assertEquals("213 SHA-256 0-" + (sample.length - 1) + " " + sha256(sample) + " /sample.bin",
          c.command("HASH sample.bin"));
      assertEquals("213 " + sha256(sample), c.command("XSHA256 /sample.bin"));
      assertEquals("213 SHA-256 0-0 " + sha256(new byte[0]) + " /empty", c.command("HASH empty"));
      assertEquals("550", c.command("HASH notes").substring(0, 3), "a folder has no hash");
      assertEquals("550", c.command("XSHA256 notes").substring(0, 3));
      assertEquals("550", c.command("HASH nothing").substring(0, 3));
      assertEquals("501", c.command("HASH").substring(0, 3));
      assertEquals("200 SHA-256", c.command("OPTS HASH"));
      assertEquals("200 SHA-256", c.command("OPTS HASH sha-256"));
      assertEquals("504", c.command("OPTS HASH MD5").substring(0, 3));
      assertEquals("200 SHA-256", c.command("OPTS HASH"), "the selection did not change");
    }
  }

  @Test
  void aStoredUploadsHashIsAnsweredFromTheCacheNotByHashingTheFileAgain() throws Exception {
    byte[] bytes = new byte[200_000];
    new Random(11).nextBytes(bytes);
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      String stored = FtpTools.store(c, "up.bin", bytes);
      assertTrue(stored.startsWith("226") && stored.endsWith(sha256(bytes)), stored);
      // Change the bytes behind the server's back, keeping size, time and inode: only a rehash would see it.
      Path file = home.resolve("up.bin");
      FileTime time = Files.getLastModifiedTime(file);
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.seek(1000);
        raf.write(~bytes[1000]);
      }
      Files.setLastModifiedTime(file, time);
      byte[] now = Files.readAllBytes(file);
      assertNotEquals(sha256(bytes), sha256(now));
      assertEquals("213 " + sha256(bytes), c.command("XSHA256 up.bin"), "the upload's hash, remembered");

      // A change the cache can see (a new modification time) is hashed afresh.
      Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() - 60_000));
      assertEquals("213 " + sha256(now), c.command("XSHA256 up.bin"));
    }
  }

  @Test
  void whileAHashRunsItsConnectionWaitsAndTheLoopServesABystander() throws Exception {
    String expected = SparseFiles.zeros(home.resolve("big.bin"), BIG_BYTES);
    try (FtpLineClient hasher = new FtpLineClient(server.ftpPort());
        FtpLineClient bystander = new FtpLineClient(server.ftpPort())) {
      hasher.login("xiaoyu", "123456");
      bystander.login("xiaoyu", "123456");
      hasher.sendRaw("XSHA256 big.bin\r\nNOOP\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertEquals("200", bystander.command("NOOP").substring(0, 3));
      assertEquals("257", bystander.command("PWD").substring(0, 3));
      assertTrue(!hasher.replyWaiting(), "the bystander was served while the hash ran");
      assertEquals("213 " + expected, hasher.reply());
      assertEquals("200", hasher.reply().substring(0, 3), "the NOOP sent behind the hash is answered after it");
    }
  }
}
