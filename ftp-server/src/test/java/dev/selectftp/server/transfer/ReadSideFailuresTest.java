package dev.selectftp.server.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HashCache;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reading side of transfers when files change or fail under it, on real files: a whole-file hash
 * computed off the loop (remembered, or not when the file vanished), an append's copy of a file that grew
 * meanwhile or into a full disk ({@code /dev/full}), a download whose setup fails after the file was opened.
 */
class ReadSideFailuresTest {
  @TempDir Path data;

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** A loop of our own: results posted by the helper thread run here, on the test's thread. */
  private final LinkedBlockingQueue<Runnable> loop = new LinkedBlockingQueue<>();

  private void runPosted() throws InterruptedException {
    Runnable r = loop.poll(10, TimeUnit.SECONDS);
    assertNotNull(r, "the helper posted its result");
    r.run();
  }

  @Test
  void aHashComputedOffTheLoopIsRememberedForEveryoneWhoAskedAndTheNextDownload() throws Exception {
    Home home = new FileStore(data).home("bob");
    byte[] content = bytes(5000);
    Files.write(home.root().resolve("a.bin"), content);
    FileInfo info = home.stat("/a.bin");
    HashCache cache = new HashCache();
    List<String> answers = new ArrayList<>();
    try (Background background = new Background("test-hash", 1, loop::add)) {
      FileHashes hashes = new FileHashes(cache, background);
      hashes.hash(home, info, (sha, failure) -> answers.add(failure == null ? sha : "failed"));
      hashes.hash(home, info, (sha, failure) -> answers.add(failure == null ? sha : "failed")); // joins
      runPosted();
    }
    assertEquals(List.of(sha256(content), sha256(content)), answers);
    assertEquals(sha256(content), cache.get(info).orElse(null), "remembered: the next download is zero-copy");
    Download next = Download.open(home, "/a.bin", cache);
    assertEquals(sha256(content), next.knownSha256());
    next.close();
  }

  @Test
  void aFileThatVanishedBeforeItsHashIsReportedToEveryAskerAndNothingIsRemembered() throws Exception {
    Home home = new FileStore(data).home("bob");
    Files.write(home.root().resolve("gone.bin"), bytes(100));
    FileInfo info = home.stat("/gone.bin");
    Files.delete(home.root().resolve("gone.bin"));
    HashCache cache = new HashCache();
    List<Exception> failures = new ArrayList<>();
    try (Background background = new Background("test-hash", 1, loop::add)) {
      FileHashes hashes = new FileHashes(cache, background);
      hashes.hash(home, info, (sha, failure) -> failures.add(failure));
      hashes.hash(home, info, (sha, failure) -> failures.add(failure));
      runPosted();
    }
    assertEquals(2, failures.size());
    assertTrue(failures.get(0) instanceof Refused, "a refusal, not a hash: " + failures.get(0));
    assertEquals(0, cache.size(), "a failure is never remembered as a hash");
  }

  @Test
  void aCopyOfAFileThatGrewIsRefusedAndWritesNothingPastTheLengthAsked() throws Exception {
    int slice = PartialCopy.COPY_SLICE_BYTES;
    byte[] grown = bytes(2 * slice + 10);
    Path from = data.resolve("grown.bin");
    Files.write(from, grown);
    Path to = data.resolve("partial.bin");
    long length = slice + 5; // the size it had when it was stat'ed
    MessageDigest digest = Sha256.newDigest();
    try (FileChannel in = FileChannel.open(from);
        FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      IOException e = assertThrows(IOException.class, () -> PartialCopy.copy(in, out, length, digest));
      assertEquals("the file changed size during the copy", e.getMessage());
    }
    assertArrayEquals(Arrays.copyOf(grown, (int) length), Files.readAllBytes(to),
        "exactly the bytes the quota held room for, no more");
    assertEquals(sha256(Arrays.copyOf(grown, (int) length)), HexFormat.of().formatHex(digest.digest()));
  }

  @Test
  void aCopyIntoAFullDiskFailsWithTheDisksOwnError() throws Exception {
    Path full = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs Linux's /dev/full");
    Path from = data.resolve("f.bin");
    Files.write(from, bytes(1000));
    try (FileChannel in = FileChannel.open(from);
        FileChannel out = FileChannel.open(full, StandardOpenOption.WRITE)) {
      IOException e = assertThrows(IOException.class, () -> PartialCopy.copy(in, out, 1000, Sha256.newDigest()));
      assertEquals("No space left on device", e.getMessage());
    }
  }

  @Test
  void aDownloadWhoseSetupFailsAfterOpeningTheFileClosesIt() throws Exception {
    Home home = new FileStore(data).home("bob");
    Path file = home.root().resolve("d.bin");
    Files.write(file, bytes(10));
    // No cache: the constructor fails after the file was opened, as any failure there would.
    assertThrows(NullPointerException.class, () -> Download.open(home, "/d.bin", null));
    assertEquals(Descriptors.none(), Descriptors.openOn(file));
  }
}
