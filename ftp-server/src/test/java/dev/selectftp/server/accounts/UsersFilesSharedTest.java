package dev.selectftp.server.accounts;

import static dev.selectftp.server.accounts.TestSupport.ITERATIONS;
import static dev.selectftp.server.accounts.TestSupport.QUOTA;
import static dev.selectftp.server.accounts.TestSupport.credentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The users files shared with another writer on the same folder (a second store, as the admin command or
 * another node is): a refresh that finds nothing new says so, a reader never waits for a writer holding the
 * lock, two instances seeding the demo account at once end with one account and no error, and a retired home
 * whose files vanish while it is deleted is deleted all the same.
 */
class UsersFilesSharedTest {
  @TempDir Path dir;
  private final ScramCredentials creds = credentials("pw");
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void aRefreshThatFindsNothingNewSaysSoWithAJournalAndWithout() throws Exception {
    Accounts server = Accounts.open(dir, QUOTA, ITERATIONS);
    server.register("alice", creds);
    assertFalse(server.refreshIfChanged(), "the journal of this generation holds nothing new");
    Accounts.open(dir, QUOTA, ITERATIONS).register("bob", creds); // the other writer
    assertTrue(server.refreshIfChanged());
    assertTrue(server.find("bob").isPresent());
    assertFalse(server.refreshIfChanged());

    Files.delete(dir.resolve(UserJournal.FILE_NAME)); // a users.json of before the journal existed
    Accounts legacy = Accounts.open(dir, QUOTA, ITERATIONS);
    assertFalse(legacy.refreshIfChanged(), "no journal yet is nothing new either");
  }

  @Test
  void aFullReadDoesNotWaitForAnotherWriterHoldingTheLock() throws Exception {
    Accounts.open(dir, QUOTA, ITERATIONS).register("alice", creds);
    UserStore writer = new UserStore(dir);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> holding = threads.submit(() -> writer.locked(() -> {
      held.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
      return null;
    }));
    try {
      assertTrue(held.await(10, TimeUnit.SECONDS));
      Future<Set<String>> read = threads.submit(() -> new UserStore(dir).load().keySet());
      assertEquals(Set.of("alice"), read.get(3, TimeUnit.SECONDS), "read without the lock");
    } finally {
      release.countDown();
      holding.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoInstancesSeedingTheDemoAccountAtOnceEndWithOneAccountAndNoError() throws Exception {
    for (int round = 0; round < 8; round++) {
      Path data = Files.createDirectory(dir.resolve("round" + round));
      Accounts one = Accounts.open(data, QUOTA, ITERATIONS);
      Accounts two = Accounts.open(data, QUOTA, ITERATIONS);
      CyclicBarrier start = new CyclicBarrier(2);
      Future<Boolean> first = threads.submit(() -> {
        start.await();
        return DemoData.seedIfFresh(one, data);
      });
      Future<Boolean> second = threads.submit(() -> {
        start.await();
        return DemoData.seedIfFresh(two, data);
      });
      boolean a = first.get(30, TimeUnit.SECONDS);
      boolean b = second.get(30, TimeUnit.SECONDS);
      assertTrue(a ^ b, "exactly one of them seeded (round " + round + ": " + a + ", " + b + ")");
      assertEquals(Set.of(DemoData.DEMO_USER), new UserStore(data).load().keySet());
    }
  }

  @Test
  void aRetiredHomeWhoseFilesVanishWhileItIsDeletedIsDeletedAllTheSame() throws Exception {
    for (int round = 0; round < 3; round++) {
      Path home = Files.createDirectories(dir.resolve("removed").resolve("old-" + round).resolve("docs"));
      for (int i = 0; i < 1000; i++) Files.createFile(home.resolve("f" + i));
      CountDownLatch going = new CountDownLatch(1);
      Future<?> other = threads.submit(() -> { // another process cleaning up the same folder
        try (Stream<Path> files = Files.list(home)) {
          going.countDown();
          files.forEach(f -> f.toFile().delete());
        }
        return null;
      });
      assertTrue(going.await(10, TimeUnit.SECONDS));
      RetiredHomes.deleteTree(home.getParent());
      other.get(30, TimeUnit.SECONDS);
      assertFalse(Files.exists(home.getParent()));
    }
  }

  @Test
  void aReaderThatKeepsMeetingAHalfDoneCompactionReadsUnderTheLockOnceItIsDone() throws Exception {
    Accounts accounts = Accounts.open(dir, QUOTA, ITERATIONS);
    accounts.register("alice", creds);
    Path users = dir.resolve(UserStore.FILE_NAME);
    byte[] older = Files.readAllBytes(users);
    UserStore other = new UserStore(dir);
    other.save(List.of(accounts.find("alice").orElseThrow())); // the next generation: users.json and journal
    byte[] newer = Files.readAllBytes(users);
    AtomicReference<Object> result = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        result.set(new UserStore(dir).load().keySet());
      } catch (IOException | RuntimeException e) {
        result.set(e);
      }
    });
    other.locked(() -> {
      // What each lock-free read meets while the other writer works: users.json of one generation, the
      // journal of the next. Held until the reader gives up reading without the lock and waits for it.
      Files.write(users, older);
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (reader.getState() != Thread.State.WAITING && reader.isAlive() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(Thread.State.WAITING, reader.getState(), "the reader waits for the lock");
      Files.write(users, newer);
      return null;
    });
    reader.join(10_000);
    assertEquals(Set.of("alice"), result.get());
  }
}
