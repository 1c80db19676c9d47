package dev.selectftp.server.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for transfers. */
public final class Sha256 {
  /** Slice size when hashing a file region off the loop thread. */
  static final int HASH_SLICE_BYTES = 1024 * 1024;

  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The hex hash of the digest's state so far, leaving the digest usable. */
  public static String peekHex(MessageDigest digest) {
    try {
      return hex((MessageDigest) digest.clone());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digests are cloneable in every JDK", e);
    }
  }

  /**
   * Feeds bytes {@code [0, length)} of {@code file} into {@code digest}. Blocking: call only off the loop.
   *
   * @throws IOException when the file holds fewer than {@code length} bytes
   */
  public static void update(MessageDigest digest, FileChannel file, long length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(HASH_SLICE_BYTES, Math.max(length, 1)));
    long position = 0;
    while (position < length) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
      int n = file.read(buffer, position);
      if (n < 0) throw new IOException("file is shorter than " + length + " bytes");
      digest.update(buffer.array(), 0, n);
      position += n;
    }
  }

  /** Updates {@code digest} with the remaining bytes of {@code buffer} without moving its position. */
  static void update(MessageDigest digest, ByteBuffer buffer, int length) {
    if (buffer.hasArray()) {
      digest.update(buffer.array(), buffer.arrayOffset() + buffer.position(), length);
    } else {
      ByteBuffer view = buffer.duplicate();
      view.limit(view.position() + length);
      digest.update(view);
    }
  }
}
