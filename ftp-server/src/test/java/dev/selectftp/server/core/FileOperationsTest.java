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
import dev.selectftp.server.testing.LoopAndPool;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.transfer.DiskQuotas;
import dev.selectftp.server.transfer.UploadLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

  @Test
  void aMalformedPathIsRefusedAtOnceBeforeAnyStoreCall() {
    assertEquals(Refusal.BAD_PATH,
        assertThrows(Refused.class, () -> Answered.<FileInfo>now(done -> ops.stat(home, "/", "a\\b", done))).code());
    assertEquals(Refusal.BAD_PATH, assertThrows(Refused.class, () -> mkdir("/", "a\\b")).code());
  }

  @Test
  void statTellsAFileFromAFolderFromNothing() throws Refused {
    FileInfo file = Answered.now(done -> ops.stat(home, "/docs", "../f.bin", done));
    assertTrue(file.exists());
    assertFalse(file.dir());
    assertEquals(40, file.size());
    assertTrue(Answered.<FileInfo>now(done -> ops.stat(home, "/", "docs", done)).dir());
    assertFalse(Answered.<FileInfo>now(done -> ops.stat(home, "/", "nope", done)).exists());
  }

  /** FTP's DELE removes only files and RMD only folders; the wrong kind is refused and nothing is deleted. */
  @Test
  void aDeleteOfOneKindRefusesTheOtherAndLeavesItInPlace() throws Exception {
    Files.createDirectory(home.root().resolve("empty"));
    Refused file = assertThrows(Refused.class, () -> delete("empty", FileOperations.Kind.FILE));
    assertEquals(Refusal.IS_A_DIRECTORY, file.code());
    assertTrue(file.getMessage().contains("use RMD"), file.getMessage());
    assertTrue(Files.isDirectory(home.root().resolve("empty")));
    Refused folder = assertThrows(Refused.class, () -> delete("f.bin", FileOperations.Kind.FOLDER));
    assertEquals(Refusal.NOT_A_DIRECTORY, folder.code());
    assertTrue(folder.getMessage().contains("use DELE"), folder.getMessage());
    assertTrue(Files.exists(home.root().resolve("f.bin")));
    assertEquals(Refusal.NOT_FOUND,
        assertThrows(Refused.class, () -> delete("nope", FileOperations.Kind.FILE)).code());

    assertEquals("/empty", delete("empty", FileOperations.Kind.FOLDER));
    assertEquals("/f.bin", delete("f.bin", FileOperations.Kind.FILE));
    assertFalse(Files.exists(home.root().resolve("empty")));
    assertFalse(Files.exists(home.root().resolve("f.bin")));
  }

  /**
   * A rename on the real store pool: while it waits behind other store work, no upload may begin at either
   * name; once it has answered on the loop, both names are free again.
   */
  @Test
  void noUploadBeginsAtEitherNameWhileARenameIsInFlightAndBothAreFreeAfter() throws Exception {
    Path from = home.root().resolve("f.bin");
    Path to = home.root().resolve("g.bin");
    try (LoopAndPool threads = new LoopAndPool()) {
      FileOperations pooled = new FileOperations(quotas, locks, threads.pool());
      CountDownLatch busy = new CountDownLatch(1);
      threads.pool().run(() -> busy.await(10, TimeUnit.SECONDS), (value, failure) -> { });
      CompletableFuture<FileOperations.Renamed> renamed = new CompletableFuture<>();
      threads.onLoop(() -> pooled.rename("u", home, "/", "f.bin", "g.bin", (value, failure) -> renamed.complete(value)));
      assertNull(locks.tryLock(from, home.partialFor(from)), "the old name is being renamed");
      assertNull(locks.tryLock(to, home.partialFor(to)), "the new name is being renamed to");
      busy.countDown();
      assertEquals(new FileOperations.Renamed("/f.bin", "/g.bin"), renamed.get(10, TimeUnit.SECONDS));
      assertTrue(Files.exists(to));
      for (Path name : List.of(from, to)) {
        UploadLocks.Lock lock = locks.tryLock(name, home.partialFor(name));
        assertNotNull(lock, "the rename is over: " + name.getFileName() + " is free again");
        locks.unlock(lock);
      }
    }
  }

  private String mkdir(String cwd, String path) throws Refused {
    return Answered.now(done -> ops.makeDir(USER, home, cwd, path, done));
  }

  private String delete(String path) throws Refused {
    return delete(path, FileOperations.Kind.ANY);
  }

  private String delete(String path, FileOperations.Kind kind) throws Refused {
    return Answered.now(done -> ops.delete(USER, home, "/", path, kind, done));
  }

  private FileOperations.Renamed rename(String from, String to) throws Refused {
    return Answered.now(done -> ops.rename("u", home, "/", from, to, done));
  }
}
