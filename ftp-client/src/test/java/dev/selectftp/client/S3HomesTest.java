package dev.selectftp.client;

import static dev.selectftp.server.testing.ThrowawayS3.BUCKET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Response;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.storage.s3.ObjectStorageTests;
import dev.selectftp.server.storage.s3.ObjectUpload;
import dev.selectftp.server.storage.s3.S3Location;
import dev.selectftp.server.testing.ThrowawayS3;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The real server with its homes on S3 ({@code storage = s3://homes/PREFIX}, S3Proxy in its own JVM) serving
 * the real client library: browsing and transfers, and an upload cut on one node (server A) and resumed
 * through another (server B, its own data folder, same bucket, the same demo account on both) after the
 * prefix check against the SHA-256 midstate A saved in the bucket.
 */
@Timeout(120)
class S3HomesTest {
  private static final int PART = ObjectUpload.PART_SIZE;
  /** Three parts and a tail: the cut comes after two parts reached the server. */
  private static final int SIZE = 3 * PART + 4321;
  private static final long CUT_AT = 2L * PART + PART / 2;

  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();
  @RegisterExtension final LiveServer nodeA = LiveServer.notStarted();
  @RegisterExtension final LiveServer nodeB = LiveServer.notStarted();
  @TempDir Path localDir;
  private String prefix;

  @BeforeAll
  static void credentials() {
    ObjectStorageTests.useStoreCredentials();
  }

  @BeforeEach
  void prefix(TestInfo test) {
    prefix = "c-" + test.getTestMethod().orElseThrow().getName();
  }

  private UnaryOperator<ServerConfig> onS3() {
    return config -> config.withStorage(S3Location.parse("s3://" + BUCKET + "/" + prefix, STORE.endpoint()));
  }

  private String key(String path) {
    return prefix + "/" + LiveServer.DEMO_USER + path;
  }

  private boolean inBucket(String path) {
    return STORE.client().listObjectsV2(r -> r.bucket(BUCKET).prefix(key(path))).contents().stream()
        .anyMatch(o -> o.key().equals(key(path)));
  }

  @Test
  void browsingAndTransfersWorkOnS3Homes() throws Exception {
    nodeA.start(onS3());
    byte[] content = TestFiles.writeRandom(localDir.resolve("up.bin"), 1, PART + 777);
    try (FtpClient c = nodeA.loginDemo()) {
      c.mkdir("docs");
      assertEquals("/docs", c.cd("docs"));
      PutResult put = c.put(localDir.resolve("up.bin"), "up.bin", TransferListener.NONE);
      assertEquals(TestFiles.sha256(content), put.sha256());
      assertEquals(List.of(new Response.Entry("up.bin", false, content.length, null).name()),
          c.list(null).stream().map(Response.Entry::name).toList());
      assertEquals(content.length, c.find("/docs/up.bin").size());
      c.rename("up.bin", "moved.bin");
      GetResult got = c.get("moved.bin", localDir.resolve("down.bin"), TransferListener.NONE);
      assertEquals(TestFiles.sha256(content), got.sha256());
      assertArrayEquals(content, Files.readAllBytes(localDir.resolve("down.bin")));
      assertEquals(TestFiles.sha256(content), c.hash("moved.bin").sha256());
      assertTrue(inBucket("/docs/moved.bin"), "the file is an object in the bucket");
      assertFalse(Files.exists(nodeA.home(LiveServer.DEMO_USER).resolve("docs")), "nothing on the node's disk");
      c.delete("moved.bin");
      assertEquals("/", c.cd(".."));
      c.delete("docs");
      assertEquals(List.of(), c.list(null));
      assertThrows(FtpException.class, () -> c.cd("docs"));
    }
    assertFalse(inBucket("/docs/moved.bin"));
  }

  /** Uploads {@code local} through node A and closes A once {@link #CUT_AT} bytes went out. */
  private void cutOnNodeA(Path local) throws Exception {
    nodeA.start(onS3());
    AtomicBoolean cut = new AtomicBoolean();
    try (FtpClient c = nodeA.loginDemo()) {
      TransferListener closing = TestFiles.firingOnceAt(TransferListener.NONE, CUT_AT, cut, () -> nodeA.server().close());
      assertThrows(IOException.class, () -> c.put(local, "big.bin", closing));
    }
    assertTrue(cut.get(), "node A was closed mid-upload");
  }

  @Test
  void uploadCutOnOneNodeResumesOnAnotherWithTheSameSha256() throws Exception {
    Path local = localDir.resolve("big.bin");
    byte[] content = TestFiles.writeRandom(local, 2, SIZE);
    cutOnNodeA(local);
    assertFalse(inBucket("/big.bin"), "parts of an unfinished upload are no object");

    nodeB.start(onS3());
    try (FtpClient c = nodeB.loginDemo()) {
      assertNull(c.find("/big.bin"), "not visible on node B either before the commit");
      assertEquals(List.of(), c.list(null), "nor the saved state beside it");
      PutResult put = c.put(local, "big.bin", TransferListener.NONE);
      assertTrue(put.resumedFrom() > 0 && put.resumedFrom() % PART == 0,
          "resumed at a part boundary from the parts node A stored: " + put.resumedFrom());
      assertEquals(TestFiles.sha256(content), put.sha256());
      GetResult got = c.get("big.bin", localDir.resolve("back.bin"), TransferListener.NONE);
      assertEquals(TestFiles.sha256(content), got.sha256());
    }
    assertArrayEquals(content, Files.readAllBytes(localDir.resolve("back.bin")));
    assertTrue(inBucket("/big.bin"));
  }

  @Test
  void aMidstateThatDoesNotMatchThePartsMakesTheClientStartOver() throws Exception {
    Path local = localDir.resolve("big.bin");
    byte[] content = TestFiles.writeRandom(local, 3, SIZE);
    cutOnNodeA(local);
    breakMidstate(key("/big.bin") + TestFiles.PARTIAL_SUFFIX);

    nodeB.start(onS3());
    try (FtpClient c = nodeB.loginDemo()) {
      PutResult put = c.put(local, "big.bin", TransferListener.NONE);
      assertEquals(0, put.resumedFrom(), "the prefix hash differed, so the client sent every byte again");
      assertEquals(TestFiles.sha256(content), put.sha256());
      c.get("big.bin", localDir.resolve("back.bin"), TransferListener.NONE);
    }
    assertArrayEquals(content, Files.readAllBytes(localDir.resolve("back.bin")));
  }

  /** Replaces the saved state with a valid one of other bytes (as many): the parts no longer match it. */
  private static void breakMidstate(String stateKey) {
    String saved = STORE.client().getObjectAsBytes(r -> r.bucket(BUCKET).key(stateKey)).asString(StandardCharsets.UTF_8);
    String[] lines = saved.split("\n");
    SHA256Digest other = new SHA256Digest();
    byte[] zeros = new byte[PART];
    for (int i = 0; i < Integer.parseInt(lines[2]); i++) other.update(zeros, 0, zeros.length);
    lines[3] = Base64.getEncoder().encodeToString(other.getEncodedState());
    String broken = String.join("\n", lines) + "\n";
    STORE.client().putObject(r -> r.bucket(BUCKET).key(stateKey), RequestBody.fromString(broken));
  }
}
