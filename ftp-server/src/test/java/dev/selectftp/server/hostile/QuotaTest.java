package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, class 4, over the wire: folders and files are counted against a per-user limit; an abandoned
 * upload that replaces a file leaves the disk within the quota; totals counted at login (never on the loop)
 * and after a clean-up of stale partials equal the disk.
 */
class QuotaTest {
  @TempDir Path dir;

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (seed + i * 13);
    return b;
  }

  /** Regular-file bytes and entries under a home, walked by the test itself. */
  private static long[] disk(Path home) throws IOException {
    long[] t = {0, 0};
    try (Stream<Path> all = Files.walk(home)) {
      all.filter(p -> !p.equals(home)).forEach(p -> {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (a.isRegularFile()) t[0] += a.size();
          t[1]++;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return t;
  }

  private static Response.QuotaInfo quota(RawClient c) throws IOException {
    c.send(new Request.QuotaQuery());
    return c.expect(Response.QuotaInfo.class);
  }

  private static void mkdir(RawClient c, String path) throws IOException {
    c.send(new Request.MakeDir(path));
    c.expect(Response.Ok.class);
  }

  @Test
  void foldersFilesAndPartialsCountAgainstTheEntryLimitAcrossRestarts() throws Exception {
    ServerConfig config = ServerConfig.forTests(dir).withMaxFiles(5);
    try (FtpServer server = FtpServer.start(config);
        RawClient c = RawClient.connect(server.port(), "127.0.9.1")) {
      assertInstanceOf(Response.Ok.class, c.register("counter", "pw-counter"));
      c.login("counter", "pw-counter");
      mkdir(c, "a");
      mkdir(c, "b");
      mkdir(c, "a/c");
      assertInstanceOf(Response.PutDone.class, c.upload("a/x", new byte[0]), "an empty file is an entry too");
      mkdir(c, "d");
      c.send(new Request.MakeDir("e"));
      Response.Error full = c.expectError(ErrorCode.QUOTA_EXCEEDED);
      assertTrue(full.message().contains("5"), full.message());
      c.send(new Request.Put("y", 0));
      c.expectError(ErrorCode.QUOTA_EXCEEDED); // its partial would be a sixth entry
      assertTrue(quota(c).message().contains("5 of 5"), "the quota reply shows the count");
      c.send(new Request.Delete("d"));
      c.expect(Response.Ok.class);
      mkdir(c, "e");
    }
    assertEquals(5, disk(dir.resolve("home/counter"))[1]);
    // A new server counts the home at login (off the loop) and goes on refusing.
    try (FtpServer server = FtpServer.start(config);
        RawClient c = RawClient.connect(server.port(), "127.0.9.1").login("counter", "pw-counter")) {
      c.send(new Request.MakeDir("f"));
      c.expectError(ErrorCode.QUOTA_EXCEEDED);
      assertTrue(quota(c).message().contains("5 of 5"));
    }
  }

  @Test
  void anAbandonedReplacementLeavesTheDiskWithinTheQuotaAndResumesFromWhatFits() throws Exception {
    long limit = 100_000;
    byte[] old = bytes(60_000, 1);
    byte[] replacement = bytes(60_000, 2);
    Path home = dir.resolve("home/replacer");
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withDefaultQuotaBytes(limit))) {
      try (RawClient c = RawClient.connect(server.port(), "127.0.9.2")) {
        registerAndStore(c, "replacer", "f", old);
        // 60 KB replacing 60 KB fits thanks to the credit of the old file; 50 KB arrive, then the client goes.
        startUpload(c, "f", replacement.length, Arrays.copyOf(replacement, 50_000));
        awaitDiskBytes(home, 110_000); // in flight: old + new, the documented transient
      }
      awaitDiskBytes(home, limit); // at rest: trimmed to what fits without the credit
      try (RawClient c = RawClient.connect(server.port(), "127.0.9.2").login("replacer", "pw-replacer")) {
        long[] onDisk = disk(home);
        assertTrue(onDisk[0] <= limit, "bytes on disk " + onDisk[0] + " over the quota " + limit);
        assertEquals(onDisk[0], quota(c).used(), "the quota equals the disk");
        assertArrayEquals(old, c.download("f"), "the old file is untouched");
        // The trimmed partial is still a valid prefix: the upload resumes from it.
        c.send(new Request.Put("f", replacement.length));
        Response.PutReady ready = c.expect(Response.PutReady.class);
        assertEquals(limit - old.length, ready.offset());
        assertEquals(RawClient.sha256(Arrays.copyOf(replacement, (int) ready.offset())), ready.prefixSha256());
        c.send(new Request.PutData(ready.offset(), replacement.length - ready.offset()));
        c.sendBytes(Arrays.copyOfRange(replacement, (int) ready.offset(), replacement.length));
        c.send(new Request.PutCommit(RawClient.sha256(replacement)));
        c.expect(Response.PutDone.class);
        assertArrayEquals(replacement, c.download("f"));
        assertEquals(replacement.length, quota(c).used());
        assertEquals(replacement.length, disk(home)[0]);
      }
    }
  }

  /**
   * The bytes an interrupted upload's partial holds are already stored, so resuming it needs room for the
   * rest only, and they count once: with 50 KB stored beside a 40 KB partial under a 100 KB quota, resuming
   * it as a 60 KB file (110 KB in the end) is refused before any byte moves, and as a 50 KB file (exactly
   * 100 KB) it is accepted from byte 40,000. A reservation that credited the partial's bytes a second time
   * would let the first one through and leave 110 KB on disk.
   */
  @Test
  void resumingAnInterruptedUploadCountsItsPartialOnceAgainstTheQuota() throws Exception {
    long limit = 100_000;
    byte[] other = bytes(50_000, 5);
    byte[] content = bytes(60_000, 6);
    Path home = dir.resolve("home/resumer");
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withDefaultQuotaBytes(limit))) {
      try (RawClient c = RawClient.connect(server.port(), "127.0.9.3")) {
        registerAndStore(c, "resumer", "other", other);
        startUpload(c, "r", 50_000, Arrays.copyOf(content, 40_000)); // fits: 50 KB stored + 50 KB
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (disk(home)[0] != 90_000 && System.nanoTime() < deadline) Thread.sleep(10);
      }
      try (RawClient c = RawClient.connect(server.port(), "127.0.9.3").login("resumer", "pw-resumer")) {
        awaitUsed(c, 90_000); // the partial's 40 KB are stored once the cut upload has settled
        c.send(new Request.Put("r", content.length));
        Response.Error refused = c.expectError(ErrorCode.QUOTA_EXCEEDED);
        assertTrue(refused.message().contains("only 9.8 KiB"), "10,000 bytes are free: " + refused.message());
        assertEquals(90_000, disk(home)[0], "a refused resume leaves the partial as it was");
        byte[] shorter = Arrays.copyOf(content, 50_000);
        c.send(new Request.Put("r", shorter.length));
        Response.PutReady ready = c.expect(Response.PutReady.class);
        assertEquals(40_000, ready.offset(), "the partial is offered for resuming");
        c.send(new Request.PutData(ready.offset(), shorter.length - ready.offset()));
        c.sendBytes(Arrays.copyOfRange(shorter, 40_000, shorter.length));
        c.send(new Request.PutCommit(RawClient.sha256(shorter)));
        c.expect(Response.PutDone.class);
        assertEquals(limit, quota(c).used());
        assertEquals(limit, disk(home)[0]);
      }
    }
  }

  /** Registers {@code user} (password "pw-" and the name), logs in and stores {@code name}. */
  private static void registerAndStore(RawClient c, String user, String name, byte[] content) throws IOException {
    assertInstanceOf(Response.Ok.class, c.register(user, "pw-" + user));
    c.login(user, "pw-" + user);
    assertInstanceOf(Response.PutDone.class, c.upload(name, content));
  }

  /** Starts an upload of {@code size} bytes from byte 0 and sends {@code first} of them; no commit. */
  private static void startUpload(RawClient c, String name, long size, byte[] first) throws IOException {
    c.send(new Request.Put(name, size));
    assertEquals(0, c.expect(Response.PutReady.class).offset());
    c.send(new Request.PutData(0, size));
    c.sendBytes(first);
  }

  private static void awaitUsed(RawClient c, long bytes) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long used = -1;
    while (System.nanoTime() < deadline && (used = quota(c).used()) != bytes) Thread.sleep(10);
    assertEquals(bytes, used, "the quota counts the stored file and the partial");
  }

  /** Waits until the home holds exactly {@code bytes} (in flight) or at most {@code bytes} once settled. */
  private static void awaitDiskBytes(Path home, long bytes) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long seen = -1;
    while (System.nanoTime() < deadline) {
      seen = disk(home)[0];
      if (seen == bytes || (bytes < 110_000 && seen <= bytes)) return;
      Thread.sleep(10);
    }
    throw new AssertionError("the home holds " + seen + " bytes, expected " + bytes);
  }

  @Test
  void totalsStayExactWhenTheCleanUpOfStalePartialsRacesTheCountAtLogin() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home/xiaoyu/docs"));
    Files.write(home.resolve("kept.bin"), bytes(7_000, 3));
    Path stale = home.resolve(".old.bin.selectftp-part");
    Files.write(stale, bytes(5_000, 4));
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (Files.exists(stale) && System.nanoTime() < deadline) Thread.sleep(10);
      assertFalse(Files.exists(stale), "the startup clean-up deletes the stale partial");
      long[] onDisk = disk(dir.resolve("home/xiaoyu"));
      // The clean-up's delta is applied on the loop after the file is gone; allow it to arrive.
      long used = -1;
      while (System.nanoTime() < deadline && (used = quota(c).used()) != onDisk[0]) Thread.sleep(10);
      assertEquals(onDisk[0], used, "stored bytes follow the clean-up without a rescan");
      assertTrue(quota(c).message().contains(onDisk[1] + " of "), "entries follow it too");
    }
  }

  @Test
  void requestsPipelinedBehindTheLoginWaitForTheCountInsteadOfFindingItMissing() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home/xiaoyu"));
    for (int i = 0; i < 2_000; i++) Files.write(home.resolve("f" + i), new byte[i % 7]);
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient c = RawClient.connect(server.port())) {
      ScramClient scram = new ScramClient("xiaoyu", "123456".toCharArray());
      c.send(new Request.AuthStart(scram.clientFirst()));
      Response.AuthChallenge challenge = c.expect(Response.AuthChallenge.class);
      // The proof and two requests in one write: the session must hold the requests until it is counted.
      byte[] proof = RawClient.frame(new Request.AuthFinish(scram.clientFinal(challenge.scram())));
      byte[] query = RawClient.frame(new Request.QuotaQuery());
      byte[] mkdir = RawClient.frame(new Request.MakeDir("new"));
      long[] onDisk = disk(home); // before the mkdir, which the server may run as soon as it has counted
      c.sendBytes(concat(proof, query, mkdir));
      c.expect(Response.AuthOk.class);
      assertEquals(onDisk[0], c.expect(Response.QuotaInfo.class).used());
      c.expect(Response.Ok.class);
      String message = quota(c).message();
      String after = Arrays.toString(disk(home));
      assertTrue(message.contains((onDisk[1] + 1) + " of "), () -> "the new folder is counted: " + message
          + "; disk before " + Arrays.toString(onDisk) + ", after " + after);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
