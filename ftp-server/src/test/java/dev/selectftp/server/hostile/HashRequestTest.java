package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.transfer.FileHashes;
import dev.selectftp.server.transfer.SparseFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The {@code hash} request against the real server: the hash of an upload is remembered, a file changed
 * behind the server's back is hashed again, refusals carry the usual codes, and many sessions asking for one
 * big file make one computation on a helper thread while a bystander is served as usual.
 */
class HashRequestTest {
  /** Sparse, so cheap to make, yet big enough that hashing it takes a while (hundreds of milliseconds). */
  private static final long BIG_BYTES = 128L * 1024 * 1024;
  private static final int ASKERS = 20;
  /** Generous for a shared 2-core machine, as FairnessTest's bounds; a loop blocked by hashing would exceed it. */
  private static final long BYSTANDER_MAX_MILLIS = 2_000;

  @TempDir Path dir;
  private FtpServer server;
  private Path home;

  @BeforeEach
  void start() throws Exception {
    server = FtpServer.start(ServerConfig.forTests(dir));
    home = dir.resolve("home/xiaoyu");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RawClient login() throws Exception {
    return RawClient.connect(server.port()).login("xiaoyu", "123456");
  }

  private static Response.Hash hash(RawClient c, String path) throws Exception {
    c.send(new Request.Hash(path));
    return c.expect(Response.Hash.class);
  }

  @Test
  void hashOfAFreshUploadEqualsTheLocalSha256AndIsRememberedFromTheUpload() throws Exception {
    byte[] bytes = new byte[300_000];
    new Random(3).nextBytes(bytes);
    try (RawClient c = login()) {
      c.send(new Request.MakeDir("docs"));
      c.expect(Response.Ok.class);
      assertInstanceOf(Response.PutDone.class, c.upload("docs/up.bin", bytes));
      Response.Hash first = hash(c, "docs/up.bin");
      assertEquals(RawClient.sha256(bytes), first.sha256());
      assertEquals("/docs/up.bin", first.path());
      assertEquals(bytes.length, first.size());
      assertEquals(200, first.status());

      // Alter a byte keeping size, time and inode: only a computation would see it, so the upload's hash
      // coming back proves the answer came from the cache.
      Path file = home.resolve("docs/up.bin");
      FileTime time = Files.getLastModifiedTime(file);
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.seek(1234);
        raf.write(~bytes[1234]);
      }
      Files.setLastModifiedTime(file, time);
      assertEquals(RawClient.sha256(bytes), hash(c, "/docs/up.bin").sha256(), "the upload's hash, remembered");
    }
  }

  @Test
  void aFileChangedOnDiskBehindTheServersBackIsHashedAgain() throws Exception {
    byte[] v1 = new byte[100_000];
    new Random(1).nextBytes(v1);
    byte[] v2 = v1.clone();
    v2[500] ^= 1; // same size
    Path file = home.resolve("changing.bin");
    Files.write(file, v1);
    FileTime time = Files.getLastModifiedTime(file);
    try (RawClient c = login()) {
      assertEquals(RawClient.sha256(v1), hash(c, "changing.bin").sha256(), "computed");
      Files.write(file, v2); // same size and inode, a new modification time
      Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() - 60_000));
      assertEquals(RawClient.sha256(v2), hash(c, "changing.bin").sha256(), "a new time: hashed afresh");

      byte[] v3 = new byte[50_000];
      Path other = home.resolve("other.bin");
      Files.write(other, v3);
      Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // a new inode and size
      Response.Hash third = hash(c, "changing.bin");
      assertEquals(RawClient.sha256(v3), third.sha256());
      assertEquals(v3.length, third.size());
    }
  }

  @Test
  void missingFolderAndHostilePathsAreRefusedWithTheUsualCodesAndTheSessionGoesOn() throws Exception {
    Files.createSymbolicLink(home.resolve("link"), home.resolve("sample.bin"));
    try (RawClient c = login()) {
      c.send(new Request.Hash("nothing.bin"));
      c.expectError(ErrorCode.NOT_FOUND);
      c.send(new Request.Hash("notes"));
      c.expectError(ErrorCode.IS_A_DIRECTORY);
      c.send(new Request.Hash("/"));
      c.expectError(ErrorCode.IS_A_DIRECTORY);
      for (String hostile : List.of("../../../etc/passwd", "a\\b", "x\u0000y", ".evil.selectftp-part")) {
        c.send(new Request.Hash(hostile));
        c.expectError(ErrorCode.BAD_PATH);
      }
      c.send(new Request.Hash("link"));
      c.expectError(ErrorCode.FORBIDDEN);
      c.sendJson("{\"type\":\"hash\"}");
      c.expectError(ErrorCode.BAD_REQUEST);
      assertTrue(c.stillServes());
      byte[] sample = Files.readAllBytes(home.resolve("sample.bin"));
      assertEquals(RawClient.sha256(sample), hash(c, "sample.bin").sha256());
    }
  }

  @Test
  void hashBeforeLoginIsRefused() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      c.send(new Request.Hash("sample.bin"));
      c.expectError(ErrorCode.NOT_LOGGED_IN);
    }
  }

  @Test
  void twentySessionsAskingForOneBigFileMakeOneComputationWhileABystanderIsServed() throws Exception {
    String expected = SparseFiles.zeros(home.resolve("big.bin"), BIG_BYTES);

    LoginLogTest.Collector computations = new LoginLogTest.Collector();
    computations.start();
    Logger hashes = (Logger) LoggerFactory.getLogger(FileHashes.class);
    Level before = hashes.getLevel();
    hashes.setLevel(Level.DEBUG);
    hashes.addAppender(computations);
    List<RawClient> askers = new ArrayList<>();
    try (RawClient bystander = login()) {
      for (int i = 0; i < ASKERS; i++) askers.add(login());
      for (RawClient asker : askers) asker.send(new Request.Hash("big.bin"));
      long startNanos = System.nanoTime();
      bystander.send(new Request.PrintDir());
      bystander.expect(Response.Cwd.class);
      long bystanderMillis = (System.nanoTime() - startNanos) / 1_000_000;
      boolean stillHashing = askers.stream().allMatch(a -> available(a) == 0);
      for (RawClient asker : askers) {
        Response.Hash answer = asker.expect(Response.Hash.class);
        assertEquals(expected, answer.sha256());
        assertEquals(BIG_BYTES, answer.size());
      }
      long hashMillis = (System.nanoTime() - startNanos) / 1_000_000;
      System.out.printf("[hash] %d sessions, %d MiB: bystander pwd %d ms while hashing; all answered after %d ms%n",
          ASKERS, BIG_BYTES >> 20, bystanderMillis, hashMillis);
      assertTrue(stillHashing, "the bystander was answered while the hash still ran (" + hashMillis + " ms)");
      assertTrue(bystanderMillis < BYSTANDER_MAX_MILLIS, "bystander's pwd took " + bystanderMillis + " ms");
      assertEquals(expected, hash(bystander, "big.bin").sha256(), "asked again: from the cache");
    } finally {
      hashes.detachAppender(computations);
      hashes.setLevel(before);
      askers.forEach(RawClient::close);
    }
    long lines = computations.events.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.endsWith(" of big.bin")).count();
    assertEquals(1, lines, "one computation for " + ASKERS + " askers and one more request");
  }

  private static int available(RawClient c) {
    try {
      return c.rawIn().available();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
