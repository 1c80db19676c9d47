package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own checks of an upload, with raw frames and no client library that could check first:
 * {@code put-data} must start where {@code put-ready} offered (its offset, or 0) and {@code put-commit}'s
 * SHA-256 must be the hash of the bytes held (docs/PROTOCOL.md, {@code put}).
 */
class UploadChecksTest {
  private static final int SIZE = 100_000;
  private static final int KEPT = 40_000;
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void putDataAtAnOffsetThatWasNotOfferedIsRefusedAndThePartialStaysAsItWas() throws Exception {
    byte[] content = OnDisk.random(SIZE, 1);
    Path partial = dir.resolve("home/xiaoyu/.offset.bin.selectftp-part");
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
        c.send(new Request.Put("offset.bin", SIZE));
        c.expect(Response.PutReady.class);
        c.send(new Request.PutData(0, SIZE));
        c.sendBytes(Arrays.copyOf(content, KEPT));
        OnDisk.awaitSize(partial, KEPT);
      }
      for (long offset : new long[] {KEPT / 2, KEPT + 1, SIZE}) {
        try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
          c.send(new Request.Put("offset.bin", SIZE));
          assertEquals(KEPT, c.expect(Response.PutReady.class).offset(), "the partial is offered");
          c.send(new Request.PutData(offset, SIZE - offset));
          Response.Error refused = refusedAt(c, offset);
          assertTrue(refused.message().contains(String.valueOf(KEPT)), refused.message());
          assertTrue(c.closedWithin(CLOSE_WAIT), "the bytes behind a refused header cannot be trusted: closed");
        }
        OnDisk.awaitSize(partial, KEPT);
        assertArrayEquals(Arrays.copyOf(content, KEPT), Files.readAllBytes(partial),
            "offset " + offset + ": the partial keeps its bytes");
      }
      try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
        c.send(new Request.Put("fresh.bin", SIZE));
        assertEquals(0, c.expect(Response.PutReady.class).offset());
        c.send(new Request.PutData(7, SIZE - 7));
        refusedAt(c, 7);
        assertTrue(c.closedWithin(CLOSE_WAIT));
      }
      assertFalse(Files.exists(dir.resolve("home/xiaoyu/fresh.bin")));
    }
  }

  /** The answer to a {@code put-data} at {@code offset}, which must be a bad-request refusal, not silence. */
  private static Response.Error refusedAt(RawClient c, long offset) throws IOException {
    Response r;
    try {
      r = c.next(CLOSE_WAIT);
    } catch (SocketTimeoutException accepted) {
      throw new AssertionError("put-data at offset " + offset + " was accepted: the server waits for its bytes");
    }
    Response.Error e = assertInstanceOf(Response.Error.class, r, () -> "put-data at " + offset + " answered " + r);
    assertEquals(ErrorCode.BAD_REQUEST.code(), e.code(), e::toString);
    return e;
  }

  @Test
  void putCommitWithAnotherSha256StoresNothing() throws Exception {
    byte[] content = OnDisk.random(SIZE, 2);
    byte[] other = content.clone();
    other[SIZE / 2] ^= 1;
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir));
        RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
      c.send(new Request.QuotaQuery());
      long usedBefore = c.expect(Response.QuotaInfo.class).used();
      c.send(new Request.Put("checked.bin", SIZE));
      c.expect(Response.PutReady.class);
      c.send(new Request.PutData(0, SIZE));
      c.sendBytes(content);
      c.send(new Request.PutCommit(RawClient.sha256(other)));
      Response.Error mismatch = c.expectError(ErrorCode.CHECKSUM_MISMATCH);
      assertTrue(mismatch.message().contains(RawClient.sha256(content)), "names the hash received: " + mismatch);
      Path home = dir.resolve("home/xiaoyu");
      assertFalse(Files.exists(home.resolve("checked.bin")), "nothing is stored under the name");
      assertFalse(Files.exists(home.resolve(".checked.bin.selectftp-part")), "the partial is discarded");
      c.send(new Request.QuotaQuery());
      assertEquals(usedBefore, c.expect(Response.QuotaInfo.class).used(), "the quota is as before");
      assertTrue(c.list().entries().stream().noneMatch(e -> e.name().equals("checked.bin")));
    }
  }

}
