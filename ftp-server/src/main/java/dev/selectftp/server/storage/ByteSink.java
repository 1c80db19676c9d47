package dev.selectftp.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where a stream in progress (a download) writes its bytes: the connection's transport, never the raw
 * socket, so the same download code works in plain text and inside TLS. Partial writes: each call takes
 * what the socket accepts now, possibly nothing.
 */
public interface ByteSink {
  /** Writes some bytes of {@code source}; returns how many were taken (0 when the socket is full). */
  int write(ByteBuffer source) throws IOException;

  /**
   * Sends some bytes of {@code file} from {@code position}, at most {@code count}; returns how many were
   * taken. Plain text hands them to the kernel without a copy ({@link FileChannel#transferTo}); TLS reads
   * them into a buffer and encrypts them.
   */
  long transferFrom(FileChannel file, long position, long count) throws IOException;
}
