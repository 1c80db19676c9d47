package dev.selectftp.client.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;

/**
 * How fast this JVM hashes SHA-256 through {@link MessageDigest} in the client's 256 KiB chunks: the
 * ceiling of any verified stream here, since both sides hash every byte on one thread each.
 */
final class Sha256Speed {
  private Sha256Speed() {}

  record Result(double megabytesPerSecond, long bytes, double seconds, String provider) {
    String toJson() {
      return String.format(Locale.ROOT,
          "{\"tool\":\"selectftp-sha256-speed\",\"mbPerSec\":%.1f,\"bytes\":%d,\"seconds\":%.3f,\"provider\":\"%s\"}",
          megabytesPerSecond, bytes, seconds, provider);
    }
  }

  static Result measure(Duration budget) throws NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] chunk = new byte[256 * 1024];
    for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) (i * 31 + 7);
    // Warm-up so the JIT (and the SHA intrinsic, where the CPU has one) is in place.
    long warmEnd = System.nanoTime() + budget.toNanos() / 3;
    while (System.nanoTime() < warmEnd) digest.update(chunk);
    digest.digest();
    long bytes = 0;
    long t0 = System.nanoTime();
    long end = t0 + budget.toNanos();
    long now;
    do {
      digest.update(chunk);
      bytes += chunk.length;
      now = System.nanoTime();
    } while (now < end);
    digest.digest();
    double seconds = (now - t0) / 1e9;
    return new Result(bytes / seconds / 1e6, bytes, seconds, digest.getProvider().getName());
  }
}
