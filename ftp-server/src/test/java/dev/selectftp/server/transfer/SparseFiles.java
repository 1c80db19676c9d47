package dev.selectftp.server.transfer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Big files that cost nothing to make (sparse, all zeros), for tests where hashing must take a while. */
public final class SparseFiles {
  private static final int BLOCK = 1 << 20;

  private SparseFiles() {}

  /**
   * Makes {@code file} a sparse file of {@code bytes} zeros (a whole number of MiB) and returns the hex
   * SHA-256 of its contents.
   */
  public static String zeros(Path file, long bytes) throws IOException, NoSuchAlgorithmException {
    if (bytes % BLOCK != 0) throw new IllegalArgumentException("whole MiB only");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(bytes);
    }
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[BLOCK];
    for (long done = 0; done < bytes; done += BLOCK) digest.update(block);
    return HexFormat.of().formatHex(digest.digest());
  }
}
