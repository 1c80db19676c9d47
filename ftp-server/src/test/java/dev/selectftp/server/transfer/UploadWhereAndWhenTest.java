package dev.selectftp.server.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.testing.Answered;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an upload answers to the FTP door, which reads these outside this package's other tests: the real
 * file it lands in, and whether its end has come.
 */
class UploadWhereAndWhenTest {
  private static final String USER = "bob";
  @TempDir Path data;
  private Home home;
  private Quotas quotas;
  private final UploadLocks locks = new UploadLocks();

  @BeforeEach
  void setUp() throws Exception {
    FileStore store = new FileStore(data);
    home = store.home(USER);
    quotas = DiskQuotas.of(store, () -> 1000, 100);
    quotas.whenKnown(USER, "1", failure -> assertNull(failure));
  }

  @Test
  void theRealPathOfAnUploadIsTheFileItsBytesLandIn() throws Exception {
    byte[] content = {1, 2, 3, 4, 5};
    Upload upload = Upload.begin(USER, home, quotas, locks, "/docs.bin", content.length);
    assertEquals("docs.bin", upload.real().getFileName().toString());
    assertFalse(Files.exists(upload.real()), "nothing under the name before the commit");
    upload.accept(0, content.length);
    assertFalse(upload.receive(ByteBuffer.wrap(content)));
    upload.commitBlocking();
    upload.committed();
    assertArrayEquals(content, Files.readAllBytes(upload.real()));
  }

  @Test
  void anUploadsEndIsOverOnlyOnceItCameAndStaysOver() throws Exception {
    UploadStart.Started started = Answered.<UploadStart.Started>now(
        done -> UploadStart.begin(USER, home, quotas, locks, Offload.INLINE, "/once.bin", 3, true, done));
    UploadEnd end = started.end();
    assertFalse(end.over(), "a started upload has not ended");
    end.discard(0);
    assertTrue(end.over());
    end.abandon(0); // a second end does nothing
    assertTrue(end.over());
    assertFalse(Files.exists(home.partialFor(started.real())), "the discard deleted the partial");
  }
}
