package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.testing.Answered;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.transfer.DiskQuotas;
import dev.selectftp.server.transfer.UploadLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core's file commands on a real home: the paths they answer with and what they do to the quota. */
class FileOperationsTest {
  private static final String USER = "bob";
  @TempDir Path data;
  private Home home;
  private Quotas quotas;
  private final UploadLocks locks = new UploadLocks();
  private FileOperations ops;

  @BeforeEach
  void setUp() throws IOException {
    FileStore store = new FileStore(data);
    home = store.home(USER);
    Files.write(home.root().resolve("f.bin"), new byte[40]);
    Files.createDirectories(home.root().resolve("docs"));
    Files.write(home.root().resolve("docs/inner.bin"), new byte[10]);
    quotas = DiskQuotas.of(store, () -> 1000, 10);
    quotas.whenKnown(USER, "1", failure -> assertNull(failure));
    ops = new FileOperations(quotas, locks, Offload.INLINE);
  }

  @Test
  void aListingTargetsTheCurrentFolderWithoutAPathAndResolvesOne() throws Refused {
    assertEquals("/docs", ops.listTarget("/docs", null));
    assertEquals("/docs/sub", ops.listTarget("/docs", "sub"));
    assertEquals(java.util.List.of("inner.bin"),
        ops.listPage(home, "/", "/docs", null, PageSize.entries(10)).entries().stream().map(Entry::name).toList());
    assertEquals("/docs", Answered.<String>now(done -> ops.changeDir(home, "/", "docs", done)));
  }

  @Test
  void makingAFolderClaimsAnEntryAndAFailedOneGivesItBack() throws Refused {
    assertEquals(3, ops.quota(USER).entries());
    assertEquals("/docs/new", mkdir("/docs", "new"));
    assertTrue(Files.isDirectory(home.root().resolve("docs/new")));
    assertEquals(4, ops.quota(USER).entries());
    assertEquals(Refusal.EXISTS, assertThrows(Refused.class, () -> mkdir("/", "docs")).code());
    assertEquals(4, ops.quota(USER).entries(), "nothing was made, nothing is counted");
  }

  @Test
  void deletingAFileFreesItsBytesAndEntry() throws Refused {
    assertEquals("/f.bin", delete("f.bin"));
    assertFalse(Files.exists(home.root().resolve("f.bin")));
    assertEquals(10, ops.quota(USER).stored());
    assertEquals(2, ops.quota(USER).entries());
  }

  @Test
  void whatAnUploadIsWritingCannotBeDeletedOrRenamedNorTheFolderHoldingIt() throws Refused {
    Path target = home.root().resolve("docs/inner.bin");
    UploadLocks.Lock lock = locks.tryLock(target, home.partialFor(target));
    assertEquals(Refusal.BUSY, assertThrows(Refused.class, () -> delete("docs/inner.bin")).code());
    assertEquals(Refusal.BUSY, assertThrows(Refused.class, () -> delete("docs")).code());
    assertEquals(Refusal.BUSY, assertThrows(Refused.class, () -> rename("docs", "papers")).code());
    assertEquals(Refusal.BUSY,
        assertThrows(Refused.class, () -> rename("f.bin", "docs/inner.bin")).code());
    assertTrue(Files.exists(target));
    locks.unlock(lock);
    assertEquals(new FileOperations.Renamed("/docs", "/papers"), rename("docs", "papers"));
    assertTrue(Files.exists(home.root().resolve("papers/inner.bin")));
  }

  /** A delete or rename runs off the loop: until it is done, no upload may begin at or under its names. */
  @Test
  void noUploadBeginsUnderAFolderWhileItsDeleteIsInFlight() throws Refused {
    List<Runnable> inFlight = new ArrayList<>();
    Offload later = new Offload() {
      @Override
      public <T> void run(Background.Work<T> work, Background.Result<T> result) {
        inFlight.add(() -> Offload.INLINE.run(work, result));
      }
    };
    FileOperations slow = new FileOperations(quotas, locks, later);
    String[] answer = new String[1];
    slow.delete(USER, home, "/", "docs", FileOperations.Kind.ANY, (value, failure) -> answer[0] = String.valueOf(
        failure == null ? value : ((Refused) failure).code()));
    Path target = home.root().resolve("docs/inner.bin");
    assertNull(locks.tryLock(target, home.partialFor(target)), "the folder is being deleted");
    inFlight.forEach(Runnable::run);
    assertEquals("NOT_EMPTY", answer[0]);
    UploadLocks.Lock lock = locks.tryLock(target, home.partialFor(target));
    assertNotNull(lock, "the delete is over: the name is free again");
    locks.unlock(lock);
  }

  private String mkdir(String cwd, String path) throws Refused {
    return Answered.now(done -> ops.makeDir(USER, home, cwd, path, done));
  }

  private String delete(String path) throws Refused {
    return Answered.now(done -> ops.delete(USER, home, "/", path, FileOperations.Kind.ANY, done));
  }

  private FileOperations.Renamed rename(String from, String to) throws Refused {
    return Answered.now(done -> ops.rename(home, "/", from, to, done));
  }
}
