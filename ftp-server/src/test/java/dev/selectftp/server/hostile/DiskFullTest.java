package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.testing.SmallDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 5 of issue 4 (full disk): on a 2 MiB tmpfs (needs root and mount; skipped otherwise) an upload
 * bigger than the disk gets {@code disk-full}, nothing appears under the real name, the space is given back,
 * and the server keeps serving.
 */
class DiskFullTest {
  @TempDir Path dir;
  private Path mount;
  private SmallDisk disk;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = SmallDisk.mountAt(dir.resolve("small"));
    mount = disk.root();
  }

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) disk.close();
  }

  @Test
  void uploadBiggerThanTheDiskGetsDiskFullAndTheServerKeepsServing() throws IOException {
    Path data = mount.resolve("data");
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(data))) {
      byte[] tooBig = new byte[3 << 20];
      new Random(3).nextBytes(tooBig);
      try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
        Response r = c.upload("too-big.bin", tooBig);
        Response.Error e = assertInstanceOf(Response.Error.class, r, "an upload over the disk size must fail");
        assertTrue(e.code().equals("disk-full") || e.code().equals("quota-exceeded"), e.toString());
        assertEquals("disk-full", e.code(), "the quota is 1 GiB, so this is the disk");
        System.out.println("[disk] 3 MiB upload onto a 2 MiB tmpfs: " + e);
        // The same connection still works, nothing is listed under the name, and the space came back.
        assertTrue(c.list().entries().stream().noneMatch(x -> x.name().contains("too-big")));
        byte[] small = new byte[200 * 1024];
        new Random(4).nextBytes(small);
        assertInstanceOf(Response.PutDone.class, c.upload("small.bin", small), "a small upload fits again");
      }
      try (Stream<Path> files = Files.walk(data.resolve("home/xiaoyu"))) {
        assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("too-big")),
            "no trace of the failed upload, not even its partial");
      }
      try (RawClient other = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
        other.list();
        assertEquals(64 * 1024, other.download("sample.bin").length);
      }
    }
  }
}
