package dev.selectftp.server.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;

/**
 * The start of an append: a file's bytes copied into an upload's empty partial, hashed on the way, so the
 * append continues a partial like any resumed upload and the file itself is only replaced, atomically, by
 * the commit. Blocking: helper threads only.
 */
final class PartialCopy {
  /** Bytes read, hashed and written per step; the same slice as hashing a file. */
  static final int COPY_SLICE_BYTES = Sha256.HASH_SLICE_BYTES;

  private PartialCopy() {}

  /**
   * Copies bytes {@code [0, length)} of {@code from} to the same positions of {@code to}, feeding them into
   * {@code digest}. Blocking.
   *
   * @throws IOException when {@code from} holds fewer than {@code length} bytes (it changed since it was
   *     stat'ed) or a read or write fails; what was copied stays for the caller to settle
   */
  static void copy(FileChannel from, FileChannel to, long length, MessageDigest digest) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(COPY_SLICE_BYTES, Math.max(length, 1)));
    long position = 0;
    while (position < length) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
      int n = from.read(buffer, position);
      if (n < 0) throw new IOException("the file is shorter than " + length + " bytes: it changed during the copy");
      buffer.flip();
      digest.update(buffer.array(), 0, n);
      while (buffer.hasRemaining()) to.write(buffer, position + buffer.position());
      position += n;
    }
    if (from.size() != length) throw new IOException("the file changed size during the copy");
  }
}
