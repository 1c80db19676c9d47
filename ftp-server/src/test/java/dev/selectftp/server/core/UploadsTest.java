package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.testing.Answered;
import dev.selectftp.server.testing.LoopAndPool;
import dev.selectftp.server.transfer.Upload;
import dev.selectftp.server.transfer.UploadLocks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core's upload rules as the FTP door will use them: no declared checksum, no declared size. */
class UploadsTest {
  private static final String USER = "bob";
  private static final long QUOTA = 100;

  @TempDir Path data;
  private Home home;
  private Quotas quotas;
  private HashCache hashes;
  private Uploads uploads;

  @BeforeEach
  void setUp() throws IOException {
    FileStore store = new FileStore(data);
    home = store.home(USER);
    quotas = new Quotas(u -> QUOTA, 1000, (user, done) -> {
      try {
        done.accept(store.tally(user), null);
      } catch (IOException e) {
        done.accept(null, e);
      }
    });
    quotas.whenKnown(USER, "1", failure -> assertNull(failure));
    hashes = new HashCache();
    uploads = new Uploads(quotas, new UploadLocks(), hashes);
  }

  @Test
  void anUploadOfUnknownSizeWithoutAChecksumIsStoredAsReceivedWithTheHashComputedWhileItArrived()
      throws Exception {
    byte[] content = "hello, ftp door".getBytes(StandardCharsets.UTF_8);
    Upload upload = uploads.begin(USER, home, "/", "a.txt", Upload.UNKNOWN_SIZE);
    upload.accept(0, Upload.UNKNOWN_SIZE);
    upload.receive(ByteBuffer.wrap(content, 0, 5));
    upload.receive(ByteBuffer.wrap(content, 5, content.length - 5));
    upload.endOfData();
    assertEquals(0, upload.remaining());
    assertNull(upload.overQuota());

    Uploads.Verdict verdict = uploads.verify(upload, null);
    assertInstanceOf(Uploads.Verdict.StoredAsReceived.class, verdict);
    assertEquals(sha256(content), verdict.sha256());
    FileInfo stored = upload.commitBlocking();
    uploads.committed(upload, stored);

    assertArrayEquals(content, Files.readAllBytes(home.root().resolve("a.txt")));
    assertEquals(content.length, quotas.usage(USER).used());
    assertEquals(sha256(content), hashes.get(stored).orElseThrow(), "remembered for downloads and HASH");
  }

  /** The doors' forms: a malformed path refused at once, the rest on a real store pool answering on the loop. */
  @Test
  void theLoopsBeginSizeAndSharedGrantRunOnTheStorePoolAndAMalformedPathIsRefusedAtOnce() throws Exception {
    assertEquals(Refusal.BAD_PATH, assertThrows(Refused.class,
        () -> Answered.<Upload>now(done -> uploads.begin(USER, home, "/", "a\\b", 10, done))).code());
    Files.write(home.root().resolve("f.bin"), new byte[42]);
    try (LoopAndPool threads = new LoopAndPool()) {
      Uploads pooled = new Uploads(quotas, new UploadLocks(), hashes, threads.pool());
      LoopAndPool.Answer<Long> size = threads.call(done -> pooled.resumableSize(home, "/", "f.bin", done));
      assertEquals(42L, size.value());
      assertEquals(LoopAndPool.LOOP_THREAD, size.thread());
      LoopAndPool.Answer<Upload> begun = threads.call(done -> pooled.begin(USER, home, "/", "new.bin", 10, done));
      assertEquals(LoopAndPool.LOOP_THREAD, begun.thread());
      Upload upload = begun.value();
      assertEquals("/new.bin", upload.virtualPath());
      assertEquals(10, quotas.usage(USER).reserved(), "the declared size is held");
      LoopAndPool.Answer<Upload> granted = threads.call(done -> pooled.confirmShared(upload, done));
      assertSame(upload, granted.value(), "without a shared ledger the room is granted");
      assertEquals(LoopAndPool.LOOP_THREAD, granted.thread());
      threads.onLoop(upload::abort);
    }
  }

  @Test
  void anUploadOfUnknownSizeIsRefusedTheMomentItWouldExceedTheQuotaAndNothingIsPublished() throws Exception {
    Upload upload = uploads.begin(USER, home, "/", "big.bin", Upload.UNKNOWN_SIZE);
    upload.accept(0, Upload.UNKNOWN_SIZE);
    upload.receive(ByteBuffer.wrap(new byte[60]));
    assertNull(upload.overQuota(), "60 of 100 bytes fit");
    upload.receive(ByteBuffer.wrap(new byte[60]));
    Refused refused = upload.overQuota();
    assertNotNull(refused, "the slice that would pass 100 bytes is refused");
    assertEquals(Refusal.QUOTA_EXCEEDED, refused.code());
    upload.abort();

    assertFalse(home.stat("/big.bin").exists(), "nothing is published under the real name");
    assertTrue(quotas.usage(USER).used() <= QUOTA, "at rest the user holds no more than the quota");
    assertEquals(0, quotas.usage(USER).reserved());
  }

  @Test
  void anInterruptedUploadOfUnknownSizeContinuesFromItsPartialToAByteIdenticalFile() throws Exception {
    byte[] content = new byte[90];
    for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 7);
    Upload first = uploads.begin(USER, home, "/", "r.bin", Upload.UNKNOWN_SIZE);
    first.accept(0, Upload.UNKNOWN_SIZE);
    first.receive(ByteBuffer.wrap(content, 0, 40));
    first.abort(); // the data connection broke: the partial stays
    assertFalse(home.stat("/r.bin").exists());

    Upload second = uploads.begin(USER, home, "/", "r.bin", Upload.UNKNOWN_SIZE);
    assertEquals(40, second.kept(), "what the server holds is offered (FTP's REST / APPE)");
    second.hashKept();
    second.accept(40, Upload.UNKNOWN_SIZE);
    second.receive(ByteBuffer.wrap(content, 40, 50));
    second.endOfData();
    assertEquals(sha256(content), uploads.verify(second, null).sha256(), "hashed across both connections");
    uploads.committed(second, second.commitBlocking());

    assertArrayEquals(content, Files.readAllBytes(home.root().resolve("r.bin")));
    assertEquals(content.length, quotas.usage(USER).used());
    assertEquals(0, quotas.usage(USER).reserved());
  }

  @Test
  void aDeclaredChecksumThatDoesNotMatchStoresNothing() throws Exception {
    byte[] content = "abc".getBytes(StandardCharsets.UTF_8);
    Upload upload = uploads.begin(USER, home, "/", "c.txt", content.length);
    upload.accept(0, content.length);
    upload.receive(ByteBuffer.wrap(content));
    Refused refused = assertThrows(Refused.class, () -> uploads.verify(upload, "0".repeat(64)));
    assertEquals(Refusal.CHECKSUM_MISMATCH, refused.code());
    assertFalse(home.stat("/c.txt").exists());
    assertEquals(0, quotas.usage(USER).used());
  }

  @Test
  void aMatchingDeclaredChecksumIsVerified() throws Exception {
    byte[] content = "abc".getBytes(StandardCharsets.UTF_8);
    Upload upload = uploads.begin(USER, home, "/", "d.txt", content.length);
    upload.accept(0, content.length);
    upload.receive(ByteBuffer.wrap(content));
    assertInstanceOf(Uploads.Verdict.Verified.class, uploads.verify(upload, sha256(content)));
    uploads.committed(upload, upload.commitBlocking());
    assertArrayEquals(content, Files.readAllBytes(home.root().resolve("d.txt")));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void anUploadToTheHomeItselfIsRefusedAsAFolder() throws Exception {
    for (String path : new String[] {"/", "/sub/..", "."}) {
      Refused refused = assertThrows(Refused.class, () -> uploads.begin(USER, home, "/", path, 10), path);
      assertEquals(Refusal.IS_A_DIRECTORY, refused.code(), path);
    }
    assertEquals(0, quotas.usage(USER).reserved(), "nothing stays reserved");
  }
}
