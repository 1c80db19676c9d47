package dev.selectftp.client;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upload as PROTOCOL.md describes it: {@code put}, {@code put-ready}, optional resume after checking
 * the server's prefix hash, {@code put-data} plus raw bytes, {@code put-commit}, {@code put-done}. The
 * file is read once, into the thread's direct transfer buffer, which is hashed and written to the socket from
 * the same memory: no copy through a {@code byte[]} or the JDK's temporary direct buffers.
 */
final class Upload {
  private static final Logger log = LoggerFactory.getLogger(Upload.class);

  private final Wire wire;

  Upload(Wire wire) {
    this.wire = wire;
  }

  PutResult run(Path local, String remotePath, PutMode mode, TransferListener listener) throws IOException {
    ByteBuffer buffer = TransferBuffers.borrow();
    try {
      return run(local, remotePath, mode, buffer, listener);
    } finally {
      TransferBuffers.giveBack(buffer);
    }
  }

  private PutResult run(Path local, String remotePath, PutMode mode, ByteBuffer buffer, TransferListener listener)
      throws IOException {
    long startNanos = System.nanoTime();
    if (Files.isDirectory(local)) throw new IOException(local + " is a folder, not a file");
    try (FileChannel file = FileChannel.open(local, StandardOpenOption.READ)) {
      long size = file.size();
      Response.PutReady ready = wire.call(new Request.Put(remotePath, size), Response.PutReady.class);
      MessageDigest digest = Digests.sha256();
      long start;
      try {
        start = mode == PutMode.RESUME ? resumePoint(file, size, ready, digest, buffer) : 0;
        wire.send(new Request.PutData(start, size - start));
        listener.started(local.getFileName().toString(), size, start);
        send(file, start, size, digest, buffer, listener);
      } catch (IOException e) {
        // The server now waits for raw bytes we can no longer send: the conversation cannot go on.
        throw wire.lost(e);
      }
      String sha256 = Digests.hex(digest.digest());
      Response.PutDone done = wire.call(new Request.PutCommit(sha256), Response.PutDone.class);
      listener.finished();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
      log.info("put {} -> {}: {} bytes, resumed from {}, sha256 {}, {} ms", local, done.path(), size, start,
          sha256, elapsed.toMillis());
      return new PutResult(done.path(), size, start, sha256, elapsed);
    }
  }

  /**
   * Returns where to start sending. Feeds the local prefix into {@code digest} when the server offers a
   * resume; if the prefixes differ the digest is reset and the upload starts over at 0.
   */
  private long resumePoint(FileChannel file, long size, Response.PutReady ready, MessageDigest digest,
      ByteBuffer buffer) throws IOException {
    long offset = ready.offset();
    if (offset <= 0 || offset > size) return 0;
    Digests.update(digest, file, offset, buffer);
    if (Digests.hexSoFar(digest).equals(ready.prefixSha256())) {
      log.debug("server holds a matching prefix of {} bytes", offset);
      return offset;
    }
    log.info("server's partial ({} bytes) differs from the local file; uploading from 0", offset);
    digest.reset();
    return 0;
  }

  /**
   * Streams bytes {@code [from, size)} raw. The header promised exactly that many, so a file that shrinks
   * meanwhile leaves the stream out of step and the wire lost.
   */
  private void send(FileChannel file, long from, long size, MessageDigest digest, ByteBuffer chunk,
      TransferListener listener) throws IOException {
    long position = from;
    file.position(from);
    while (position < size) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), size - position));
      int n;
      try {
        n = file.read(chunk);
      } catch (IOException e) {
        throw wire.lost(e);
      }
      if (n < 0) throw wire.lost(new IOException("file shrank during the upload"));
      chunk.flip();
      digest.update(chunk.duplicate());
      wire.writeRaw(chunk);
      position += n;
      listener.progress(position);
    }
  }
}
