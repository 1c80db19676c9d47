package dev.selectftp.server.protocol.ftp;

import static dev.selectftp.server.testing.ThrowawayS3.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.storage.s3.ObjectStorageTests;
import dev.selectftp.server.storage.s3.ObjectUpload;
import dev.selectftp.server.storage.s3.S3Location;
import dev.selectftp.server.testing.ThrowawayS3;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FTP door of servers whose homes are on S3 (S3Proxy): Python's ftplib browses and transfers, and a STOR
 * cut on node A (the node goes away mid-upload) is continued with SIZE + REST + STOR on node B, its own data
 * folder over the same bucket, to the whole file's SHA-256.
 */
class FtpOnS3Test {
  private static final int PART = ObjectUpload.PART_SIZE;
  private static final int SIZE = 2 * PART + 12_345;
  private static final int SENT_BEFORE_CUT = PART + PART / 2;

  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();
  @TempDir Path dir;
  private FtpServer nodeA;
  private FtpServer nodeB;

  @BeforeAll
  static void credentials() {
    ObjectStorageTests.useStoreCredentials();
  }

  @AfterEach
  void stop() {
    if (nodeA != null) nodeA.close();
    if (nodeB != null) nodeB.close();
  }

  private FtpServer start(String node, TestInfo test) throws Exception {
    String prefix = "f-" + test.getTestMethod().orElseThrow().getName();
    return FtpServer.start(ServerConfig.forTests(dir.resolve(node)).withFtpPort(0)
        .withStorage(S3Location.parse("s3://" + BUCKET + "/" + prefix, STORE.endpoint())));
  }

  private Path localFile(long seed) throws Exception {
    byte[] bytes = new byte[SIZE];
    new Random(seed).nextBytes(bytes);
    return Files.write(dir.resolve("local.bin"), bytes);
  }

  @Test
  void ftplibBrowsesAndTransfersOnS3Homes(TestInfo test) throws Exception {
    assumeTrue(FtpTools.onPath("python3"), "python3 is not installed");
    nodeA = start("a", test);
    Path local = localFile(1);
    String script = new String(getClass().getResourceAsStream("/ftp/ftplib_s3.py").readAllBytes());
    FtpTools.Ran ran = FtpTools.python(dir, "ftplib_s3.py", script, nodeA.ftpPort(), local);
    assertEquals(0, ran.exit(), ran.output());
    assertTrue(ran.output().contains("OK quit"), ran.output());
    assertFalse(Files.exists(dir.resolve("a/home/xiaoyu/docs")), "nothing on the node's disk");
  }

  @Test
  void storCutOnOneNodeIsContinuedOnAnotherWithRest(TestInfo test) throws Exception {
    assumeTrue(FtpTools.onPath("python3"), "python3 is not installed");
    Path local = localFile(2);
    byte[] bytes = Files.readAllBytes(local);
    nodeA = start("a", test);
    try (FtpLineClient c = new FtpLineClient(nodeA.ftpPort())) {
      assertTrue(c.login("xiaoyu", "123456").startsWith("230"));
      try (Socket d = FtpTools.passive(c)) {
        assertTrue(c.command("STOR big.bin").startsWith("150"));
        d.getOutputStream().write(bytes, 0, SENT_BEFORE_CUT);
        d.getOutputStream().flush();
        Thread.sleep(500); // let the first part reach the server before the node goes
        nodeA.close();
      }
    }
    nodeB = start("b", test);
    String script;
    try (InputStream in = getClass().getResourceAsStream("/ftp/ftplib_resume.py")) {
      script = new String(in.readAllBytes());
    }
    FtpTools.Ran ran = FtpTools.python(dir, "ftplib_resume.py", script, nodeB.ftpPort(), "big.bin", local);
    assertEquals(0, ran.exit(), ran.output());
    assertTrue(ran.output().contains("held " + PART + "\n"), "SIZE offers the stored part: " + ran.output());
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertTrue(ran.output().contains("SHA-256 " + sha256), "the hash continued from node A's midstate: " + ran.output());
    String key = "f-storCutOnOneNodeIsContinuedOnAnotherWithRest/xiaoyu/big.bin";
    assertEquals(sha256, ObjectStorageTests.awaitLabel(STORE.client(), key), "the label, set after the commit");
    assertEquals(SIZE, STORE.client().headObject(r -> r.bucket(BUCKET).key(key)).contentLength());
  }
}
