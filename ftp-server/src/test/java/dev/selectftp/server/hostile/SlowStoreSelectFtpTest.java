package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.testing.SlowStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's storage seam, on the SelectFTP door: with homes on a store that answers every call
 * {@link SlowStore#LATENCY} late (the real local store underneath, as S3 would answer a round trip late), a user logs
 * in and makes folders, changes into one, uploads (a fresh file, a checksum mismatch, one cut off), downloads,
 * hashes, renames and deletes, some requests pipelined, while a bystander times {@code pwd}. No store call but
 * the pure ones may run on the loop thread: if one did, the bystander would wait the latency, and the store's
 * notes name the call.
 */
class SlowStoreSelectFtpTest {
  /** What the session below must have called, each off the loop. */
  static final List<String> DRIVEN = List.of("home", "stat", "statReal", "changeDir", "makeDir", "delete",
      "rename", "openRead", "openWrite", "deletePartial", "publishPartial");

  @TempDir Path dir;

  @Test
  void noStoreCallOfTheSelectFtpDoorRunsOnTheLoopAndABystanderNeverWaitsForOne() throws Exception {
    SlowStore store = new SlowStore(new FileStore(dir), SlowStore.LATENCY);
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir), store)) {
      Bystander.Measured seen;
      try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456");
          Bystander bystander = Bystander.pwd(server.port())) {
        drive(c, server.port());
        seen = bystander.stop();
      }
      store.assertNothingWaitedOnTheLoop("SelectFTP", DRIVEN, seen);
    }
  }

  private void drive(RawClient c, int port) throws Exception {
    c.send(new Request.MakeDir("slow"));
    c.expect(Response.Ok.class);
    // Pipelined: each is answered in order, after the store call before it.
    c.send(new Request.ChangeDir("slow"));
    c.send(new Request.PrintDir());
    c.send(new Request.MakeDir("inner"));
    assertEquals("/slow", c.expect(Response.Cwd.class).path());
    assertEquals("/slow", c.expect(Response.Cwd.class).path());
    assertEquals(Response.CREATED, c.expect(Response.Ok.class).status());

    byte[] content = new byte[200_000];
    new Random(13).nextBytes(content);
    assertInstanceOf(Response.PutDone.class, c.upload("a.bin", content));
    assertArrayEquals(content, c.download("a.bin"));
    c.send(new Request.Hash("a.bin"));
    assertEquals(RawClient.sha256(content), c.expect(Response.Hash.class).sha256());
    c.send(new Request.Rename("a.bin", "b.bin"));
    c.expect(Response.Ok.class);

    // A checksum mismatch: the partial is deleted before the refusal is answered.
    c.send(new Request.Put("bad.bin", 3));
    c.expect(Response.PutReady.class);
    c.send(new Request.PutData(0, 3));
    c.sendBytes(new byte[] {1, 2, 3});
    c.send(new Request.PutCommit(RawClient.sha256(new byte[] {3, 2, 1})));
    c.expectError(ErrorCode.CHECKSUM_MISMATCH);
    try (var names = Files.list(dir.resolve("home/xiaoyu/slow"))) {
      assertEquals(List.of("b.bin", "inner"), names.map(p -> p.getFileName().toString()).sorted().toList(),
          "the partial is gone once the mismatch is answered");
    }

    // An upload cut off by its client: the partial is settled off the loop, and resumed.
    try (RawClient cut = RawClient.connect(port).login("xiaoyu", "123456")) {
      cut.send(new Request.Put("/slow/cut.bin", content.length));
      cut.expect(Response.PutReady.class);
      cut.send(new Request.PutData(0, content.length));
      cut.sendBytes(Arrays.copyOf(content, 1000));
    }
    Response resumed = null;
    for (int i = 0; i < 20 && !(resumed instanceof Response.PutDone); i++) {
      resumed = c.upload("cut.bin", content); // BUSY until the cut upload is settled
    }
    assertInstanceOf(Response.PutDone.class, resumed);

    c.send(new Request.Delete("b.bin"));
    c.send(new Request.Delete("cut.bin"));
    c.send(new Request.Delete("inner"));
    c.send(new Request.ChangeDir(".."));
    c.send(new Request.Delete("slow"));
    for (int i = 0; i < 3; i++) c.expect(Response.Ok.class);
    assertEquals("/", c.expect(Response.Cwd.class).path());
    c.expect(Response.Ok.class);
  }
}
