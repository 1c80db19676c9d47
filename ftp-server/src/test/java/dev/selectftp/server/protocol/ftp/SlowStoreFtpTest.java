package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.hostile.Bystander;
import dev.selectftp.server.testing.SlowStore;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's storage seam, on the FTP door: with homes on a store that answers every call {@link SlowStore#LATENCY}
 * late (the real local store underneath), a user logs in and runs MKD, CWD, STOR, APPE, SIZE, MDTM, RETR,
 * HASH, STAT of a file and of a folder, MLST, LIST, RNFR and RNTO, DELE, CDUP and RMD, some pipelined, while a
 * bystander times {@code PWD}. No store call but the pure ones may run on the loop thread: if one did, the
 * bystander would wait the latency, and the store's notes name the call.
 */
class SlowStoreFtpTest {
  /** What the session below must have called, each off the loop. */
  static final List<String> DRIVEN = List.of("home", "stat", "statReal", "changeDir", "makeDir", "delete",
      "rename", "openRead", "openWrite", "publishPartial", "list");

  @TempDir Path dir;

  @Test
  void noStoreCallOfTheFtpDoorRunsOnTheLoopAndABystanderNeverWaitsForOne() throws Exception {
    SlowStore store = new SlowStore(new FileStore(dir), SlowStore.LATENCY);
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0), store)) {
      Bystander.Measured seen;
      try (FtpLineClient c = new FtpLineClient(server.ftpPort());
          Bystander bystander = FtpBystanderRoundTripTest.pwd(server.ftpPort())) {
        assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
        drive(c);
        seen = bystander.stop();
      }
      store.assertNothingWaitedOnTheLoop("FTP", DRIVEN, seen);
    }
  }

  private static void drive(FtpLineClient c) throws Exception {
    expect("257", c.command("MKD slow"));
    // Pipelined: each is answered in order, after the store call before it.
    c.sendRaw("CWD slow\r\nPWD\r\nMKD inner\r\n".getBytes(StandardCharsets.US_ASCII));
    expect("250", c.reply());
    expect("257 \"/slow\"", c.reply());
    expect("257", c.reply());

    byte[] content = "twelve bytes".getBytes(StandardCharsets.US_ASCII);
    expect("226", FtpTools.store(c, "a.bin", content));
    try (Socket data = FtpTools.passive(c)) {
      expect("150", c.command("APPE a.bin")); // the file is copied into the partial off the loop
      data.getOutputStream().write(content);
    }
    expect("226", c.reply());
    // A STOR refused for its offset is answered once its end settled off the loop (the name free again), so
    // the STOR right after the reply does not meet the refused upload's lock (450).
    expect("350", c.command("REST 5"));
    try (Socket data = FtpTools.passive(c)) {
      expect("554", c.command("STOR r.bin"));
    }
    expect("226", FtpTools.store(c, "r.bin", content));
    expect("250", c.command("DELE r.bin"));
    expect("213 24", c.command("SIZE a.bin"));
    expect("213", c.command("MDTM a.bin"));
    assertEquals("twelve bytestwelve bytes", FtpTools.transferText(c, "RETR a.bin"));
    expect("213", c.command("HASH a.bin"));
    expect("213", c.command("STAT a.bin"));
    expect("213", c.command("STAT /slow"));
    expect("250", c.command("MLST a.bin"));
    assertTrue(FtpTools.transferText(c, "LIST").contains("a.bin"));
    expect("350", c.command("RNFR a.bin"));
    expect("250", c.command("RNTO b.bin"));
    expect("550", c.command("DELE inner")); // a folder: RMD, found off the loop
    c.sendRaw("DELE b.bin\r\nRMD inner\r\nCDUP\r\nRMD slow\r\n".getBytes(StandardCharsets.US_ASCII));
    expect("250", c.reply());
    expect("250", c.reply());
    expect("250 now in \"/\"", c.reply());
    expect("250", c.reply());
  }

  private static void expect(String start, String reply) {
    assertTrue(reply.startsWith(start), () -> "expected " + start + " but got " + reply);
  }
}
