package dev.selectftp.client;

import java.nio.ByteBuffer;

/**
 * The direct buffers every transfer reads and writes through, one per thread. A download reads raw bytes
 * from the socket into the buffer and hashes and writes them to its file from the same memory; an upload
 * reads the file into it and writes it to the socket.
 *
 * <p>One buffer per thread is enough because a {@link Wire}'s raw reads never leave state in it: they read
 * no further than the raw bytes due, so nothing after a raw stream ever lands here.
 */
final class TransferBuffers {
  /** The one buffer every transfer reads and writes through. */
  static final int TRANSFER_BUFFER_BYTES = 256 * 1024;
  /** Each thread's transfer buffer while it is not lent out. */
  private static final ThreadLocal<ByteBuffer> SPARE = new ThreadLocal<>();

  private TransferBuffers() {}

  /**
   * Lends the calling thread's direct transfer buffer ({@value #TRANSFER_BUFFER_BYTES} bytes), allocating
   * it on the thread's first transfer; give it back with {@link #giveBack}. One buffer per thread serves
   * every connection that thread uses, and a session that only logs in and lists allocates none. A transfer
   * started while the thread's buffer is lent out (from a listener callback, say) gets a fresh one.
   */
  static ByteBuffer borrow() {
    ByteBuffer spare = SPARE.get();
    if (spare == null) return ByteBuffer.allocateDirect(TRANSFER_BUFFER_BYTES);
    SPARE.set(null);
    return spare.clear();
  }

  static void giveBack(ByteBuffer buffer) {
    SPARE.set(buffer);
  }
}
