package dev.selectftp.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the end of an upload is settled, on real files: at once when the store calls run inline, on the loop
 * once a helper pool has done them, counting the most the partial can hold when the pool is gone (a server
 * shutting down), and after a discard whose partial cannot be deleted; and a begin whose stat is refused
 * lets go of the name.
 */
class UploadSettlementTest {
  private static final String USER = "bob";

  @TempDir Path data;
  private Home home;
  private Quotas quotas;
  private final UploadLocks locks = new UploadLocks();
  /** A loop of our own: what the pool posts runs here, on the test's thread. */
  private final LinkedBlockingQueue<Runnable> loop = new LinkedBlockingQueue<>();

  @BeforeEach
  void setUp() throws IOException {
    FileStore store = new FileStore(data);
    home = store.home(USER);
    quotas = DiskQuotas.of(store, () -> 100, 1000);
    quotas.apply(USER, Tally.ZERO);
    quotas.whenKnown(USER, "1", failure -> assertNull(failure));
  }

  private void runPosted() throws InterruptedException {
    Runnable r = loop.poll(10, TimeUnit.SECONDS);
    assertNotNull(r, "the pool posted its result");
    r.run();
  }

  private long stored() throws Refused {
    return quotas.usage(USER).stored();
  }

  /** Begins an upload whose store calls (and those of its end) run on {@code pool}, posting to {@link #loop}. */
  private Upload beginOn(Background pool, String name, long size) throws Exception {
    AtomicReference<Upload> begun = new AtomicReference<>();
    Upload.begin(USER, home, quotas, locks, pool, "/" + name, size, (upload, failure) -> {
      assertNull(failure);
      begun.set(upload);
    });
    while (begun.get() == null) runPosted(); // the stats, then the partial's opening
    return begun.get();
  }

  /** An upload begun inline and cut after {@code held} bytes: its partial keeps them, resumable. */
  private Upload cutAfter(String name, long size, int held) throws Exception {
    Upload cut = Upload.begin(USER, home, quotas, locks, "/" + name, size);
    cut.accept(0, size);
    cut.receive(ByteBuffer.wrap(new byte[held]));
    cut.abort();
    return cut;
  }

  @Test
  void anUploadEndedInlineRunsWhatWaitsForItsSettlementAtOnce() throws Exception {
    Upload u = cutAfter("a.bin", 10, 4);
    AtomicBoolean ran = new AtomicBoolean();
    u.whenSettled(() -> ran.set(true));
    assertTrue(ran.get(), "already settled: run at once");
  }

  @Test
  void anUploadEndedThroughAPoolIsSettledOnTheLoopAndOnlyThenRunsWhatWaits() throws Exception {
    try (Background pool = new Background("test-store", 1, loop::add)) {
      Upload u = beginOn(pool, "p.bin", 10);
      assertEquals(10, quotas.usage(USER).reserved(), "a declared size is reserved up front");
      u.accept(0, 10);
      u.receive(ByteBuffer.wrap(new byte[4]));
      u.abort();
      AtomicBoolean ran = new AtomicBoolean();
      u.whenSettled(() -> ran.set(true));
      assertFalse(ran.get(), "the partial is still being looked at off the loop");
      runPosted();
      assertTrue(ran.get());
      assertEquals(4, stored());
      assertEquals(4, Files.size(home.partialFor(home.root().resolve("p.bin"))));
    }
  }

  @Test
  void anEndThePoolCannotRunAnyMoreCountsTheMostThePartialCanHold() throws Exception {
    cutAfter("s.bin", 50, 10);
    assertEquals(10, stored());
    Background pool = new Background("test-store", 1, loop::add);
    Upload u = beginOn(pool, "s.bin", 50);
    u.accept(10, 40);
    u.receive(ByteBuffer.wrap(new byte[15]));
    pool.close(); // the server is shutting down: the settlement is refused
    AtomicBoolean ran = new AtomicBoolean();
    u.abort();
    u.whenSettled(() -> ran.set(true));
    assertTrue(ran.get(), "settled at once, without looking at the partial");
    assertEquals(25, stored(), "the 10 kept and the 15 received");
  }

  @Test
  void aDiscardWhosePartialCannotBeDeletedCountsWhatTheEndCanSee() throws Exception {
    Upload u = Upload.begin(USER, home, quotas, locks, "/d.bin", 50);
    u.accept(0, 50);
    u.receive(ByteBuffer.wrap(new byte[20]));
    Path partial = home.partialFor(home.root().resolve("d.bin"));
    Files.delete(partial);
    Files.createDirectories(partial.resolve("inside")); // a folder that is not empty: neither deleted nor opened
    u.discard();
    assertTrue(Files.isDirectory(partial));
    assertEquals(20, stored(), "the most the partial can hold, since it cannot be looked at");
  }

  @Test
  void anUploadOntoAFolderIsRefusedAsSuchEveryTimeNeverAsBusy() throws Exception {
    Files.createDirectory(home.root().resolve("docs"));
    for (int attempt = 0; attempt < 2; attempt++) { // the second would be BUSY if the first kept its lock
      Refused refused = assertThrows(Refused.class, () -> Upload.begin(USER, home, quotas, locks, "/docs", 5));
      assertEquals(Refusal.IS_A_DIRECTORY, refused.code());
    }
  }

  @Test
  void aBeginWhoseStatIsRefusedOffTheLoopLetsGoOfTheName() throws Exception {
    Path dir = Files.createDirectory(home.root().resolve("dir"));
    try (Background pool = new Background("test-store", 1, loop::add)) {
      CountDownLatch busy = new CountDownLatch(1);
      pool.run(() -> busy.await(10, TimeUnit.SECONDS), (v, f) -> {}); // the pool's one thread is taken
      AtomicReference<Exception> refused = new AtomicReference<>();
      Upload.begin(USER, home, quotas, locks, pool, "/dir/x", 5, (upload, failure) -> refused.set(failure));
      Files.delete(dir);
      Files.write(dir, new byte[1]); // another process puts a file where the folder was, before the stats run
      busy.countDown();
      while (refused.get() == null) runPosted();
      assertEquals(Refusal.NOT_A_DIRECTORY, ((Refused) refused.get()).code());

      Files.delete(dir);
      Files.createDirectory(dir);
      Upload again = beginOn(pool, "dir/x", 5); // not BUSY: the refused begin let go of the name
      again.discard();
      runPosted();
    }
  }
}
