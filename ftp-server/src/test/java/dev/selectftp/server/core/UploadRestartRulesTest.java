package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.transfer.Download;
import dev.selectftp.server.transfer.FileHashes;
import dev.selectftp.server.transfer.Upload;
import dev.selectftp.server.transfer.DiskQuotas;
import dev.selectftp.server.transfer.UploadLocks;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where FTP's REST and APPE let an upload start, what the mismatch says, SIZE of a folder, and hash-first. */
class UploadRestartRulesTest {
  private static final String USER = "bob";
  @TempDir Path data;
  private Home home;
  private Quotas quotas;
  private Uploads uploads;

  @BeforeEach
  void setUp() throws IOException {
    FileStore store = new FileStore(data);
    home = store.home(USER);
    quotas = DiskQuotas.of(store, () -> 1L << 30, 1000);
    quotas.whenKnown(USER, "1", failure -> assertNull(failure));
    uploads = new Uploads(quotas, new UploadLocks(), new HashCache());
  }

  @Test
  void aRestartAtAnyOtherOffsetThanTheFilesLengthSaysWhereToResume() throws Exception {
    Files.write(home.root().resolve("f.bin"), new byte[30]);
    Upload upload = uploads.begin(USER, home, "/", "f.bin", Upload.UNKNOWN_SIZE);
    Uploads.Resume.Mismatch m = assertInstanceOf(Uploads.Resume.Mismatch.class, uploads.restartAt(upload, 5));
    assertEquals("/f.bin holds 30 bytes, not 5; resume at 30 or 0", m.why());
    assertInstanceOf(Uploads.Resume.FromFile.class, uploads.restartAt(upload, 30));
    upload.discard();
  }

  @Test
  void aRestartOfANewFileAtAnOffsetSaysResumeAtZero() throws Exception {
    Upload upload = uploads.begin(USER, home, "/", "new.bin", Upload.UNKNOWN_SIZE);
    Uploads.Resume.Mismatch m = assertInstanceOf(Uploads.Resume.Mismatch.class, uploads.restartAt(upload, 5));
    assertEquals("/new.bin holds 0 bytes, not 5; resume at 0", m.why());
    upload.discard();
  }

  @Test
  void anAppendToANewFileStartsFromTheBeginning() throws Exception {
    Upload upload = uploads.begin(USER, home, "/", "new.bin", Upload.UNKNOWN_SIZE);
    Uploads.Resume resume = uploads.append(upload);
    assertInstanceOf(Uploads.Resume.FromStart.class, resume);
    assertFalse(Uploads.needsPreparing(resume));
    upload.discard();
  }

  @Test
  void anAppendToAFileCopiesItFirst() throws Exception {
    Files.write(home.root().resolve("log.txt"), new byte[12]);
    Upload upload = uploads.begin(USER, home, "/", "log.txt", Upload.UNKNOWN_SIZE);
    Uploads.Resume resume = uploads.append(upload);
    assertEquals(12, assertInstanceOf(Uploads.Resume.FromFile.class, resume).offset());
    assertTrue(Uploads.needsPreparing(resume));
    upload.discard();
  }

  @Test
  void theSizeOfAFolderIsNotAFilesSize() throws Exception {
    Files.createDirectories(home.root().resolve("dir"));
    assertEquals(Refusal.NOT_FOUND,
        assertThrows(Refused.class, () -> uploads.resumableSize(home, "/", "dir")).code());
    assertEquals(0, uploads.usedNow(USER));
    assertEquals(-1, uploads.usedNow("nobody"));
  }

  @Test
  void onlyASmallFileWhoseHashIsUnknownIsHashedBeforeAWholeDownload() throws Exception {
    Path file = home.root().resolve("edge.bin");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(FileHashes.HASH_FIRST_MAX_BYTES);
    }
    Downloads downloads = new Downloads(new HashCache());
    Download atLimit = downloads.open(home, "/", "edge.bin");
    assertTrue(downloads.hashFirst(atLimit, 0));
    assertFalse(downloads.hashFirst(atLimit, 1), "a restart never waits");
    atLimit.close();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(FileHashes.HASH_FIRST_MAX_BYTES + 1);
    }
    Download over = downloads.open(home, "/", "edge.bin");
    assertFalse(downloads.hashFirst(over, 0));
    over.close();
  }
}
