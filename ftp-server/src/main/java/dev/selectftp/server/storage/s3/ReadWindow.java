package dev.selectftp.server.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One window of an object being downloaded: its bytes {@code [start, end)}, copied by one fetcher thread
 * from a ranged GetObject into a node-local spool file and readable as they arrive, not only once the
 * window is whole, so the first byte of a download waits for one chunk, not one window.
 *
 * <p><b>Threads.</b> {@link #fill} runs on one fetcher thread; reads run on the reader's thread (the loop or
 * a helper) and never go past {@link #readable}; {@link #drop} may come from either and stops the fill
 * within one chunk. The spool file is made by the fill (never on the loop) and deleted by the drop.
 */
final class ReadWindow {
  /** Bytes copied per step of the fill: what a reader can see before the rest of the window arrives. */
  static final int CHUNK_BYTES = 64 * 1024;

  private final Path spoolDir;
  private final long start;
  private final long end;
  private Path file;
  private FileChannel channel;
  private volatile long filled;
  private volatile boolean dropped;

  ReadWindow(Path spoolDir, long start, long end) {
    this.spoolDir = spoolDir;
    this.start = start;
    this.end = end;
  }

  /** The HTTP Range header of this window. */
  String range() {
    return "bytes=" + start + "-" + (end - 1);
  }

  /** Bytes readable from {@code position}, inside this window, now; 0 or less when none are. */
  long readable(long position) {
    return start + filled - position;
  }

  boolean dropped() {
    return dropped;
  }

  /**
   * Fetcher thread, blocking: copies the window's bytes from {@code in} into a new spool file, telling
   * {@code arrived} after each chunk; returns early (without error) once dropped.
   *
   * @throws IOException the store's answer failed or ended short, or the spool file could not be written
   */
  void fill(InputStream in, Runnable arrived) throws IOException {
    FileChannel out;
    synchronized (this) {
      if (dropped) return;
      file = Files.createTempFile(spoolDir, "get-", ".spool");
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      out = channel;
    }
    byte[] chunk = new byte[CHUNK_BYTES];
    long length = end - start;
    try {
      while (filled < length && !dropped) {
        int n = in.read(chunk, 0, (int) Math.min(chunk.length, length - filled));
        if (n < 0) throw new IOException("the store's answer ended after " + filled + " of " + length + " bytes");
        ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, n);
        while (bytes.hasRemaining()) out.write(bytes, filled + bytes.position());
        filled += n;
        arrived.run();
      }
    } catch (ClosedChannelException e) {
      if (!dropped) throw e; // dropped under the write: the reader moved on, nothing failed
    }
  }

  /** Reads what is readable of {@code dst.remaining()} from {@code position}; the caller saw it readable. */
  int read(ByteBuffer dst, long position) throws IOException {
    int n = (int) Math.min(dst.remaining(), readable(position));
    ByteBuffer slice = dst.slice(dst.position(), n);
    int read = channel().read(slice, position - start);
    if (read > 0) dst.position(dst.position() + read);
    return read;
  }

  /** Hands what is readable of {@code count} bytes from {@code position} to {@code target} (zero-copy in plain text). */
  long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return channel().transferTo(position - start, Math.min(count, readable(position)), target);
  }

  private synchronized FileChannel channel() throws ClosedChannelException {
    if (dropped || channel == null) throw new ClosedChannelException();
    return channel;
  }

  /** Stops the fill and deletes the spool file; safe twice. */
  void drop() {
    FileChannel open;
    Path gone;
    synchronized (this) {
      if (dropped) return;
      dropped = true;
      open = channel;
      gone = file;
    }
    try {
      if (open != null) open.close();
      if (gone != null) Files.deleteIfExists(gone);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(ReadWindow.class).debug("dropping a spool window failed: {}", e.toString());
    }
  }
}
