package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.Home;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race between looking at a file and opening it, narrowed to that one step: a local process replaces a
 * served file by a symlink to a secret outside the home and back, each time with one atomic rename(2), so
 * the name always exists and is a plain file half of the time, while readers open it through the home as
 * fast as they can. The home stats the name ({@code fstatat}) and then opens it ({@code openat(O_NOFOLLOW)});
 * when the link arrives between the two, only the open's O_NOFOLLOW stands between the reader and the
 * secret. The readers call the storage API ({@link Home#openRead}, what a download opens) rather than the
 * wire: a download costs milliseconds on a loaded machine and would hit this microseconds-wide window too
 * rarely, which is also why {@link JailRaceTest}, a folder swapped with gaps where nothing has the name,
 * does not notice an open that follows links in its 5 s.
 */
class LinkSwapTest {
  private static final long RUN_NANOS = 2_000_000_000L;
  private static final int READERS = 2;
  /** Both contents have the same length, so a leak cannot hide behind a size check. */
  private static final byte[] INSIDE = "inside: the user's own file....\n".repeat(8).getBytes(StandardCharsets.UTF_8);
  private static final byte[] SECRET = "SECRET from outside the home!!\n\n".repeat(8).getBytes(StandardCharsets.UTF_8);

  @TempDir Path data;

  @Test
  void aFileSwappedForALinkBetweenStatAndOpenNeverOpensTheLinksTarget() throws Exception {
    assertEquals(INSIDE.length, SECRET.length);
    Path served = Files.createDirectories(data.resolve("home/xiaoyu/box")).resolve("f.bin");
    Files.write(served, INSIDE);
    Path secret = Files.write(Files.createDirectories(data.resolve("outside")).resolve("secret"), SECRET);
    Home home = new Home(data.resolve("home/xiaoyu"));
    Path real = home.toReal("/box/f.bin");
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong swaps = new AtomicLong();
    AtomicLong opened = new AtomicLong();
    AtomicLong leaks = new AtomicLong();
    Map<Refusal, AtomicLong> refusals = new ConcurrentHashMap<>();
    Thread swapper = new Thread(() -> swap(served, secret, data, running, swaps), "swapper");
    Thread[] readers = new Thread[READERS];
    for (int i = 0; i < READERS; i++) {
      readers[i] = new Thread(() -> read(home, real, running, opened, leaks, refusals), "reader");
    }
    swapper.start();
    for (Thread t : readers) t.start();
    long until = System.nanoTime() + RUN_NANOS;
    while (System.nanoTime() < until && leaks.get() == 0) Thread.sleep(20);
    running.set(false);
    swapper.join(10_000);
    for (Thread t : readers) t.join(10_000);
    System.out.printf("[link swap] %d swaps; %d opens of the file, %d of the secret, refusals %s%n",
        swaps.get(), opened.get(), leaks.get(), new TreeMap<>(refusals));
    assertEquals(0, leaks.get(), "opens that read the link's target outside the home");
    assertTrue(swaps.get() > 10, "the swapper ran: " + swaps.get());
    assertTrue(opened.get() > 0, "the file itself was opened between swaps");
    assertEquals(Set.of(Refusal.FORBIDDEN), refusals.keySet(), "the link is refused as forbidden, never as an "
        + "internal error: " + refusals);
    assertArrayEquals(SECRET, Files.readAllBytes(secret), "the secret is unchanged");
  }

  /** File, link, file, ...: each step one rename(2) over the served name, made ready outside the home. */
  private static void swap(Path served, Path secret, Path data, AtomicBoolean running, AtomicLong swaps) {
    Path link = data.resolve("next-link");
    Path file = data.resolve("next-file");
    try {
      while (running.get()) {
        Files.createSymbolicLink(link, secret);
        Files.move(link, served, StandardCopyOption.ATOMIC_MOVE);
        Files.write(file, INSIDE);
        Files.move(file, served, StandardCopyOption.ATOMIC_MOVE);
        swaps.incrementAndGet();
      }
    } catch (IOException e) {
      throw new AssertionError("the swapper failed", e);
    }
  }

  private static void read(Home home, Path real, AtomicBoolean running, AtomicLong opened, AtomicLong leaks,
      Map<Refusal, AtomicLong> refusals) {
    ByteBuffer first = ByteBuffer.allocate(6);
    while (running.get()) {
      try (FileChannel ch = home.openRead(real)) {
        first.clear();
        ch.read(first, 0);
        if (new String(first.array(), 0, first.position(), StandardCharsets.UTF_8).equals("SECRET")) {
          leaks.incrementAndGet();
        } else {
          opened.incrementAndGet();
        }
      } catch (Refused e) {
        refusals.computeIfAbsent(e.code(), k -> new AtomicLong()).incrementAndGet();
      } catch (IOException e) {
        throw new AssertionError("a read failed", e);
      }
    }
  }
}
