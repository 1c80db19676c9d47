package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.core.Uploads.Resume;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.HashCache;
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

/** The core's rules for where an FTP upload starts (REST n + STOR, APPE), what SIZE answers, and ALLO. */
class UploadResumeTest {
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

  /** STOR (or APPE) of {@code bytes} under {@code name}, committed, through the same steps as the door. */
  private void store(String name, byte[] bytes, boolean append) throws Exception {
    Upload upload = uploads.begin(USER, home, "/", name, Upload.UNKNOWN_SIZE);
    Resume resume = append ? uploads.append(upload) : uploads.restartAt(upload, 0);
    Uploads.prepareBlocking(upload, resume);
    Uploads.start(upload, resume);
    upload.receive(ByteBuffer.wrap(bytes));
    upload.endOfData();
    uploads.verify(upload, null);
    uploads.committed(upload, upload.commitBlocking());
  }

  /** Sends {@code count} bytes of a new upload of {@code name}, then breaks off: the partial stays. */
  private void cut(String name, byte[] bytes, int count) throws Exception {
    Upload upload = uploads.begin(USER, home, "/", name, Upload.UNKNOWN_SIZE);
    Uploads.start(upload, uploads.restartAt(upload, 0));
    upload.receive(ByteBuffer.wrap(bytes, 0, count));
    upload.abort();
  }

  @Test
  void restAtTheHeldLengthContinuesAndAnyOtherOffsetChangesNothing() throws Exception {
    byte[] content = bytes(90);
    cut("r.bin", content, 40);
    assertEquals(40, uploads.resumableSize(home, "/", "r.bin"), "SIZE tells a resuming client what arrived");
    for (long wrong : new long[] {39, 41, 90}) {
      Upload upload = uploads.begin(USER, home, "/", "r.bin", Upload.UNKNOWN_SIZE);
      Resume.Mismatch m = assertInstanceOf(Resume.Mismatch.class, uploads.restartAt(upload, wrong));
      assertEquals(40, m.held());
      assertThrows(IllegalArgumentException.class, () -> Uploads.start(upload, m));
      upload.abort();
      assertEquals(40, uploads.resumableSize(home, "/", "r.bin"), "REST " + wrong + " lost nothing");
    }
    Upload upload = uploads.begin(USER, home, "/", "r.bin", Upload.UNKNOWN_SIZE);
    Resume resume = uploads.restartAt(upload, 40);
    assertInstanceOf(Resume.FromPartial.class, resume);
    Uploads.prepareBlocking(upload, resume);
    Uploads.start(upload, resume);
    upload.receive(ByteBuffer.wrap(content, 40, 50));
    upload.endOfData();
    assertEquals(sha256(content), uploads.verify(upload, null).sha256());
    uploads.committed(upload, upload.commitBlocking());
    assertArrayEquals(content, Files.readAllBytes(home.root().resolve("r.bin")));
    assertEquals(90, quotas.usage(USER).used());
  }

  @Test
  void restZeroStartsOverAndDropsTheHeldBytes() throws Exception {
    cut("z.bin", bytes(50), 30);
    store("z.bin", "fresh".getBytes(StandardCharsets.UTF_8), false);
    assertEquals("fresh", Files.readString(home.root().resolve("z.bin")));
    assertEquals(5, quotas.usage(USER).used(), "the dropped partial is no longer counted");
  }

  @Test
  void appendOntoAFileCopiesItIntoThePartialAndOnlyTheCommitChangesTheFile() throws Exception {
    store("a.txt", "hello ".getBytes(StandardCharsets.UTF_8), false);
    Upload upload = uploads.begin(USER, home, "/", "a.txt", Upload.UNKNOWN_SIZE);
    Resume resume = uploads.append(upload);
    assertEquals(new Resume.FromFile(6), resume);
    Uploads.prepareBlocking(upload, resume);
    Uploads.start(upload, resume);
    upload.receive(ByteBuffer.wrap("world".getBytes(StandardCharsets.UTF_8)));
    upload.endOfData();
    assertEquals("hello ", Files.readString(home.root().resolve("a.txt")), "the file is untouched until the commit");
    String sha256 = uploads.verify(upload, null).sha256();
    uploads.committed(upload, upload.commitBlocking());

    assertEquals("hello world", Files.readString(home.root().resolve("a.txt")));
    assertEquals(sha256("hello world".getBytes(StandardCharsets.UTF_8)), sha256);
    assertEquals(11, quotas.usage(USER).used(), "the copy is counted once, as the file it became");
    assertEquals(0, quotas.usage(USER).reserved());
    assertEquals(sha256, hashes.get(home.stat("/a.txt")).orElseThrow(), "HASH needs no rehash");
  }

  @Test
  void anAppendCutOffLeavesTheFileAsItWasAndItsPartialContinuable() throws Exception {
    store("b.txt", "12345".getBytes(StandardCharsets.UTF_8), false);
    Upload upload = uploads.begin(USER, home, "/", "b.txt", Upload.UNKNOWN_SIZE);
    Resume resume = uploads.append(upload);
    Uploads.prepareBlocking(upload, resume);
    Uploads.start(upload, resume);
    upload.receive(ByteBuffer.wrap("678".getBytes(StandardCharsets.UTF_8)));
    upload.abort();
    assertEquals("12345", Files.readString(home.root().resolve("b.txt")));
    assertEquals(8, uploads.resumableSize(home, "/", "b.txt"), "SIZE answers the interrupted append");
    assertEquals(13, quotas.usage(USER).used(), "the file and the partial are both on disk");

    store("b.txt", "9".getBytes(StandardCharsets.UTF_8), true); // APPE again continues the partial
    assertEquals("123456789", Files.readString(home.root().resolve("b.txt")));
    assertEquals(9, quotas.usage(USER).used());
  }

  @Test
  void restAtTheFilesLengthWithNoPartialContinuesTheFileAndAnyOtherOffsetIsRefused() throws Exception {
    store("f.txt", "abc".getBytes(StandardCharsets.UTF_8), false);
    Upload wrong = uploads.begin(USER, home, "/", "f.txt", Upload.UNKNOWN_SIZE);
    assertEquals(3, assertInstanceOf(Resume.Mismatch.class, uploads.restartAt(wrong, 2)).held());
    wrong.abort();
    Upload upload = uploads.begin(USER, home, "/", "f.txt", Upload.UNKNOWN_SIZE);
    Resume resume = uploads.restartAt(upload, 3);
    assertEquals(new Resume.FromFile(3), resume, "SIZE said 3, so REST 3 + STOR continues the file");
    Uploads.prepareBlocking(upload, resume);
    Uploads.start(upload, resume);
    upload.receive(ByteBuffer.wrap("def".getBytes(StandardCharsets.UTF_8)));
    upload.endOfData();
    uploads.verify(upload, null);
    uploads.committed(upload, upload.commitBlocking());
    assertEquals("abcdef", Files.readString(home.root().resolve("f.txt")));
    assertEquals(6, quotas.usage(USER).used());
  }

  @Test
  void anAppendCutBeforeItsFirstByteLeavesNoPartialBehind() throws Exception {
    store("e.txt", "12345".getBytes(StandardCharsets.UTF_8), false);
    Upload upload = uploads.begin(USER, home, "/", "e.txt", Upload.UNKNOWN_SIZE);
    Resume resume = uploads.append(upload);
    Uploads.prepareBlocking(upload, resume);
    upload.abort(); // the client went away while the file was being copied
    assertEquals(5, uploads.resumableSize(home, "/", "e.txt"), "a mere copy of the file is not an upload to resume");
    assertEquals(5, quotas.usage(USER).used());
    assertEquals(0, quotas.usage(USER).reserved());
  }

  @Test
  void sizeShowsAPartialOnlyWhenNoSessionIsWritingIt() throws Exception {
    Upload live = uploads.begin(USER, home, "/", "live.bin", Upload.UNKNOWN_SIZE);
    Uploads.start(live, uploads.restartAt(live, 0));
    live.receive(ByteBuffer.wrap(bytes(10)));
    Refused refused = assertThrows(Refused.class, () -> uploads.resumableSize(home, "/", "live.bin"));
    assertEquals(Refusal.NOT_FOUND, refused.code(), "an upload in flight is nobody's business");
    live.abort();
    assertEquals(10, uploads.resumableSize(home, "/", "live.bin"));
  }

  @Test
  void allocateReservesUpFrontAndTheBytesItCoveredAreNotCountedTwice() throws Exception {
    Upload upload = uploads.begin(USER, home, "/", "allo.bin", Upload.UNKNOWN_SIZE);
    Uploads.start(upload, uploads.restartAt(upload, 0));
    upload.allocate(60);
    assertEquals(60, quotas.usage(USER).reserved());
    Upload other = uploads.begin(USER, home, "/", "other.bin", Upload.UNKNOWN_SIZE);
    Uploads.start(other, uploads.restartAt(other, 0));
    Refused refused = assertThrows(Refused.class, () -> other.allocate(41));
    assertEquals(Refusal.QUOTA_EXCEEDED, refused.code(), "the first upload's room is held");
    other.abort();
    upload.receive(ByteBuffer.wrap(bytes(60)));
    assertEquals(60, quotas.usage(USER).reserved(), "received bytes inside the allocation grow nothing");
    upload.receive(ByteBuffer.wrap(bytes(30)));
    assertNull(upload.overQuota());
    assertEquals(90, quotas.usage(USER).reserved());
    upload.receive(ByteBuffer.wrap(bytes(20)));
    assertTrue(upload.overQuota() != null && upload.remaining() == 0, "past the quota the upload takes no more");
    upload.abort();
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + 7);
    return b;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
