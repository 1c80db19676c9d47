package dev.selectftp.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/** The small data helpers every transfer test needs: seeded random bytes, an independent SHA-256,
 * waiting, a progress-only listener. */
public final class TestFiles {
  /** The hidden partial's suffix; server and client use the same {@code .NAME.selectftp-part}. */
  public static final String PARTIAL_SUFFIX = ".selectftp-part";

  private TestFiles() {}

  /** A transfer listener that only hears progress, handing each {@code done} to {@code onProgress}. */
  public static TransferListener onProgress(LongConsumer onProgress) {
    return new TransferListener() {
      @Override
      public void started(String name, long total, long resumedFrom) {}

      @Override
      public void progress(long done) {
        onProgress.accept(done);
      }

      @Override
      public void finished() {}
    };
  }

  /**
   * Passes everything on to {@code bar}, and the first time {@code at} bytes are in place sets {@code fired}
   * and runs {@code action} (closing the server mid-transfer, say). One {@code fired} shared by several
   * listeners makes the action run once in all.
   */
  public static TransferListener firingOnceAt(TransferListener bar, long at, AtomicBoolean fired,
      Runnable action) {
    return new TransferListener() {
      @Override
      public void started(String name, long total, long resumedFrom) {
        bar.started(name, total, resumedFrom);
      }

      @Override
      public void progress(long done) {
        bar.progress(done);
        if (done >= at && fired.compareAndSet(false, true)) action.run();
      }

      @Override
      public void finished() {
        bar.finished();
      }
    };
  }

  /** The hidden partial beside {@code file}: {@code .NAME.selectftp-part}. */
  public static Path partialOf(Path file) {
    return file.resolveSibling("." + file.getFileName() + PARTIAL_SUFFIX);
  }

  /** {@code size} bytes from a {@link Random} seeded with {@code seed}: reproducible, incompressible. */
  public static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code size} seeded random bytes to {@code file} and returns them. */
  public static byte[] writeRandom(Path file, long seed, int size) throws IOException {
    byte[] bytes = randomBytes(seed, size);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, bytes);
    return bytes;
  }

  /** Hex SHA-256 computed here with {@link MessageDigest}, independently of client and server code. */
  public static String sha256(byte[] bytes) {
    return sha256(bytes, bytes.length);
  }

  public static String sha256(byte[] bytes, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, 0, length);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  public static String sha256(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }

  /** Polls {@code condition} every 10 ms until it holds or {@code timeout} passes; fails the test if not. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        assertTrue(condition.getAsBoolean(), "timed out waiting until " + what);
        return;
      }
      Thread.sleep(10);
    }
  }

  /** Size of {@code file}, or -1 when it does not exist. */
  public static long sizeOrMissing(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
