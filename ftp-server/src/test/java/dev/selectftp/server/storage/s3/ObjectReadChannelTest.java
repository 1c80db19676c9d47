package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.ObjectHomeTest.randomBytes;
import static dev.selectftp.server.storage.s3.ReadAheadWindows.MAX_WINDOWS;
import static dev.selectftp.server.storage.s3.ReadAheadWindows.WINDOW_BYTES;
import static dev.selectftp.server.testing.ThrowawayS3.BUCKET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.testing.SpoolWatch;
import dev.selectftp.server.testing.ThrottledRelay;
import dev.selectftp.server.testing.ThrowawayS3;
import dev.selectftp.server.transfer.Sha256;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link ObjectReadChannel} against a real S3 API (S3Proxy), its GetObjects seen by a {@link RangeLog} on the
 * server's client: windows fetched from where the reader starts, never more than {@link ReadAheadWindows#MAX_WINDOWS}
 * ahead of it, each byte once, one version only, and the loop's {@code readable} told when bytes arrive.
 */
@Timeout(120)
class ObjectReadChannelTest {
  private static final int OBJECT_BYTES = (int) (5 * WINDOW_BYTES + 12_345);
  private static final long SETTLE_MILLIS = 500;

  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();
  @RegisterExtension final TestHomes homes = new TestHomes(STORE);
  @TempDir Path node;
  private final RangeLog ranges = new RangeLog();
  private Spool spool;
  private S3Client s3;

  @BeforeAll
  static void credentials() {
    ObjectStorageTests.useStoreCredentials();
  }

  @AfterEach
  void close() {
    if (spool != null) spool.close();
    if (s3 != null) s3.close();
  }

  /** Alice's home on {@code endpoint}, through a client whose GETs land in {@link #ranges}. */
  private ObjectHomeStore home(URI endpoint) throws IOException {
    spool = Spool.open(node);
    s3 = ranges.client(endpoint);
    return new ObjectHomeStore(s3, BUCKET, ObjectKeys.of(homes.prefix(), "alice"), spool);
  }

  private byte[] put(String name, int size, long seed) {
    byte[] data = randomBytes(size, seed);
    STORE.client().putObject(r -> r.bucket(BUCKET).key(homes.prefix() + "/alice/" + name), RequestBody.fromBytes(data));
    return data;
  }

  @Test
  void aReaderThatStopsHoldsTwoWindowsAndTheRestIsFetchedOnlyAsItReadsEachByteOnce() throws Exception {
    byte[] data = put("big.bin", OBJECT_BYTES, 1);
    ObjectHomeStore home = home(STORE.endpoint());
    MessageDigest digest = Sha256.newDigest();
    try (SpoolWatch watch = SpoolWatch.downloads(node); FileChannel in = home.openRead(home.toReal("/big.bin"))) {
      ByteBuffer first = ByteBuffer.allocate(1);
      assertEquals(1, in.read(first, 0));
      awaitQuiet();
      assertEquals(List.of("bytes=0-" + (WINDOW_BYTES - 1), "bytes=" + WINDOW_BYTES + "-" + (2 * WINDOW_BYTES - 1)),
          ranges.all(), "a reader stopped at its first byte: two windows fetched, nothing more");
      ByteBuffer slice = ByteBuffer.allocate(100_000);
      for (long at = 0; at < data.length; ) {
        slice.clear();
        int n = in.read(slice, at);
        digest.update(slice.array(), 0, n);
        at += n;
      }
      assertTrue(watch.samples() > 10, "the watch ran");
      assertTrue(watch.most() <= MAX_WINDOWS, "windows held at once: " + watch.most());
      assertTrue(watch.mostBytes() <= MAX_WINDOWS * WINDOW_BYTES, "spool bytes held at once: " + watch.mostBytes());
      in.close();
      in.close();
      assertThrows(ClosedChannelException.class, () -> in.read(ByteBuffer.allocate(1), 0));
    }
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), Sha256.hex(digest));
    assertEquals(data.length, ranges.bytesAsked(), "every byte fetched once: " + ranges.all());
    SpoolWatch.assertEmptied(node);
  }

  @Test
  void aReadFromTheMiddleFetchesNothingBeforeIt() throws Exception {
    byte[] data = put("mid.bin", OBJECT_BYTES, 2);
    ObjectHomeStore home = home(STORE.endpoint());
    long from = 2 * WINDOW_BYTES + 4_321;
    try (FileChannel in = home.openRead(home.toReal("/mid.bin"))) {
      assertReadsFrom(in, data, from);
      awaitQuiet();
    }
    assertTrue(ranges.lowestStart() >= from, "a GET before the first position read: " + ranges.all());
    assertEquals("bytes=" + from + "-" + (from + WINDOW_BYTES - 1), ranges.all().get(0));
  }

  /**
   * A resume whose offset lies inside the first window (an FTP REST under 8 MiB when the label spares the
   * prefix hash): the first GET starts at the offset, not at 0, so the client's first byte does not wait for
   * the bytes it skips.
   */
  @Test
  void aFirstReadInsideTheFirstWindowFetchesNothingBeforeIt() throws Exception {
    byte[] data = put("rest.bin", OBJECT_BYTES, 7);
    ObjectHomeStore home = home(STORE.endpoint());
    long from = WINDOW_BYTES / 2 + 777;
    try (FileChannel in = home.openRead(home.toReal("/rest.bin"))) {
      assertReadsFrom(in, data, from);
    }
    assertTrue(ranges.lowestStart() >= from, "a GET before the first position read: " + ranges.all());
    assertEquals("bytes=" + from + "-" + (from + WINDOW_BYTES - 1), ranges.all().get(0));
  }

  /**
   * A reader that jumps ahead to somewhere inside the window after the held ones (not fetched yet): that GET
   * starts where it reads, as for any other place not fetched.
   */
  @Test
  void aJumpIntoTheWindowAfterTheHeldOnesFetchesNothingBeforeIt() throws Exception {
    byte[] data = put("jump.bin", OBJECT_BYTES, 8);
    ObjectHomeStore home = home(STORE.endpoint());
    long to = MAX_WINDOWS * WINDOW_BYTES + 4_321;
    try (FileChannel in = home.openRead(home.toReal("/jump.bin"))) {
      assertEquals(1, in.read(ByteBuffer.allocate(1), 0));
      awaitQuiet(); // windows 0 and 1 held; the next one not fetched
      int before = ranges.all().size();
      assertEquals(MAX_WINDOWS, before, "windows fetched for a reader at 0: " + ranges.all());
      assertReadsFrom(in, data, to);
      assertEquals("bytes=" + to + "-" + (to + WINDOW_BYTES - 1), ranges.all().get(before),
          "the GET after the jump: " + ranges.all());
    }
  }

  /** Reads 50,000 bytes from {@code from} and checks they are the object's. */
  private static void assertReadsFrom(FileChannel in, byte[] data, long from) throws IOException {
    ByteBuffer some = ByteBuffer.allocate(50_000);
    while (some.hasRemaining()) in.read(some, from + some.position());
    assertArrayEquals(Arrays.copyOfRange(data, (int) from, (int) from + some.capacity()), some.array());
  }

  @Test
  void theLoopIsToldWhenBytesArriveInsteadOfWaiting() throws Exception {
    put("told.bin", 1_000_000, 3);
    ObjectHomeStore home = home(STORE.endpoint());
    try (ObjectReadChannel in = (ObjectReadChannel) home.openRead(home.toReal("/told.bin"))) {
      CountDownLatch ready = new CountDownLatch(1);
      long start = System.nanoTime();
      assertEquals(0, in.readable(0, ready::countDown), "nothing fetched yet: the loop must not read");
      assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(50), "readable() does not wait for the GET");
      assertTrue(ready.await(20, TimeUnit.SECONDS), "told when the first bytes arrived");
      assertTrue(in.readable(0, null) > 0);
      assertEquals(0, in.readable(1_000_000, null), "nothing at the end");
    }
  }

  @Test
  void anObjectReplacedWhileBeingReadFailsTheReadInsteadOfMixingVersions() throws Exception {
    byte[] old = put("swap.bin", OBJECT_BYTES, 4);
    ObjectHomeStore home = home(STORE.endpoint());
    try (FileChannel in = home.openRead(home.toReal("/swap.bin"))) {
      assertEquals(1, in.read(ByteBuffer.allocate(1), 0));
      awaitQuiet(); // the first two windows are the old version
      put("swap.bin", OBJECT_BYTES, 5);
      ByteBuffer slice = ByteBuffer.allocate(100_000);
      long at = 0;
      IOException failed = null;
      try {
        while (at < old.length) {
          slice.clear();
          int n = in.read(slice, at);
          assertArrayEquals(Arrays.copyOfRange(old, (int) at, (int) at + n), Arrays.copyOf(slice.array(), n),
              "bytes of the new version at " + at);
          at += n;
        }
      } catch (IOException e) {
        failed = e;
      }
      assertTrue(failed != null && failed.getMessage().contains("changed"), "read to " + at + ": " + failed);
      assertTrue(at <= 2 * WINDOW_BYTES, "no more than the old version's windows were read: " + at);
      long stop = at;
      assertThrows(IOException.class, () -> in.read(ByteBuffer.allocate(1), stop), "and stays failed");
    }
    SpoolWatch.assertEmptied(node);
  }

  @Test
  void aStoreThatGoesAwayMidReadFailsItWithAnIOExceptionAndTheSpoolIsEmptied() throws Exception {
    put("gone.bin", OBJECT_BYTES, 6);
    try (ThrottledRelay slow = ThrottledRelay.answers(STORE.endpoint(), 4 * 1024 * 1024)) {
      ObjectHomeStore home = home(slow.endpoint());
      try (FileChannel in = home.openRead(home.toReal("/gone.bin"))) {
        ByteBuffer slice = ByteBuffer.allocate(100_000);
        long at = 0;
        while (at < WINDOW_BYTES / 2) at += in.read(slice.clear(), at);
        slow.close();
        long from = at;
        IOException e = assertThrows(IOException.class, () -> {
          for (long p = from; p < OBJECT_BYTES; ) p += in.read(slice.clear(), p);
        });
        assertTrue(e.getMessage().contains("S3") || e.getMessage().contains("store"), e.toString());
      }
    }
    SpoolWatch.assertEmptied(node);
  }

  /** Waits until no GET was asked and no window grew for a while: the fetcher did what the reader's place allows. */
  private void awaitQuiet() throws Exception {
    String seen;
    String now = ranges.all() + " " + spoolBytes();
    do {
      seen = now;
      Thread.sleep(SETTLE_MILLIS);
      now = ranges.all() + " " + spoolBytes();
    } while (!now.equals(seen));
  }

  private long spoolBytes() throws IOException {
    try (Stream<Path> files = Files.list(node.resolve(Spool.DIR))) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
