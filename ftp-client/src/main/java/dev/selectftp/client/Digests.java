package dev.selectftp.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers shared by uploads, downloads and the console's comparisons. */
public final class Digests {
  /** Read size when hashing a whole file. */
  private static final int FILE_BUFFER_BYTES = 256 * 1024;

  private Digests() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** The hex SHA-256 of a whole local file, read once. */
  public static String sha256Of(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      update(digest, channel, channel.size(), ByteBuffer.allocateDirect(FILE_BUFFER_BYTES));
    }
    return hex(digest.digest());
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** The hex digest so far, leaving {@code digest} free to take more bytes. */
  static String hexSoFar(MessageDigest digest) {
    try {
      return hex(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
    }
  }

  /**
   * Feeds the first {@code length} bytes of {@code channel} (from position 0) into {@code digest}, reading
   * through {@code buffer} (direct, so the file is read without a copy through a temporary buffer). Leaves
   * the channel's position at {@code length}; the buffer's contents are undefined afterwards.
   *
   * @throws IOException when the file is shorter than {@code length}
   */
  static void update(MessageDigest digest, FileChannel channel, long length, ByteBuffer buffer)
      throws IOException {
    channel.position(0);
    long left = length;
    while (left > 0) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), left));
      int n = channel.read(buffer);
      if (n < 0) throw new IOException("file shrank while it was being hashed");
      digest.update(buffer.flip());
      left -= n;
    }
  }
}
