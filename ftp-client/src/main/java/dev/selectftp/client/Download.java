package dev.selectftp.client;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download as PROTOCOL.md describes it. Bytes go to a hidden local partial next to the target, which
 * is renamed into place only when its SHA-256 equals the server's; a partial left by an earlier attempt
 * is offered for resume with the hash of its bytes. {@link GetMode#RESUME_LOCAL} offers the local file itself
 * instead and appends to it in place. A hash mismatch is retried once from zero.
 */
final class Download {
  private static final Logger log = LoggerFactory.getLogger(Download.class);
  /** The first attempt plus one fresh retry after a checksum mismatch. */
  private static final int MAX_ATTEMPTS = 2;
  static final String PARTIAL_SUFFIX = ".selectftp-part";

  private final Wire wire;

  Download(Wire wire) {
    this.wire = wire;
  }

  /** The hidden partial that collects the bytes of a download to {@code localFile}. */
  static Path partialFor(Path localFile) {
    return localFile.resolveSibling("." + localFile.getFileName() + PARTIAL_SUFFIX);
  }

  /**
   * Downloads {@code remotePath} to {@code localFile} as {@code mode} says, verified by SHA-256.
   *
   * @throws FtpException for refusals, or a checksum mismatch even after the retry
   * @throws IOException for local or network failures; what was received stays for a resume
   */
  GetResult run(String remotePath, Path localFile, GetMode mode, TransferListener listener) throws IOException {
    long startNanos = System.nanoTime();
    Path partial = partialFor(localFile);
    Path folder = partial.toAbsolutePath().getParent();
    // Checked before asking: once get-ready arrives, failing to open the partial would lose the connection.
    if (!Files.isDirectory(folder)) throw new NoSuchFileException(folder.toString(), null, "no such local folder");
    if (Files.isDirectory(localFile)) throw new IOException(localFile + " is a folder");
    if (mode == GetMode.RESUME_LOCAL && Files.exists(localFile) && !Files.isWritable(localFile)) {
      throw new AccessDeniedException(localFile.toString(), null, "cannot append to it");
    }
    ByteBuffer buffer = TransferBuffers.borrow();
    try {
      return run(remotePath, localFile, partial, mode, buffer, listener, startNanos);
    } finally {
      TransferBuffers.giveBack(buffer);
    }
  }

  private GetResult run(String remotePath, Path localFile, Path partial, GetMode mode, ByteBuffer buffer,
      TransferListener listener, long startNanos) throws IOException {
    for (int attempt = 1; ; attempt++) {
      // Only the first attempt trusts the local file: a retry after a mismatch starts from zero.
      Path prefix = attempt == 1 && mode == GetMode.RESUME_LOCAL ? localFile : partial;
      Attempt result = attempt(remotePath, prefix, partial, buffer, listener);
      boolean inPlace = result.target().equals(localFile);
      if (result.sha256().equals(result.expected())) {
        if (!inPlace) {
          Files.move(partial, localFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        listener.finished();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        log.info("get {} -> {}: {} bytes, resumed from {}{}, sha256 {}, {} ms", remotePath, localFile,
            result.size(), result.resumedFrom(), inPlace ? " in place" : "", result.sha256(), elapsed.toMillis());
        return new GetResult(remotePath, localFile, result.size(), result.resumedFrom(), result.sha256(),
            elapsed);
      }
      if (inPlace) {
        // The prefix was the user's own file: give it back as it was, without the bytes that did not hash.
        try (FileChannel file = FileChannel.open(localFile, StandardOpenOption.WRITE)) {
          file.truncate(result.resumedFrom());
        }
      }
      Files.deleteIfExists(partial);
      log.warn("get {}: local sha256 {} but server says {} (attempt {})", remotePath, result.sha256(),
          result.expected(), attempt);
      if (attempt >= MAX_ATTEMPTS) {
        throw new FtpException(ErrorCode.CHECKSUM_MISMATCH,
            "downloaded bytes of " + remotePath + " do not match the server's SHA-256, even after a retry");
      }
    }
  }

  /** One exchange; {@code target} is the file the bytes went to (the partial, or the local file in place). */
  private record Attempt(long size, long resumedFrom, String sha256, String expected, Path target) {}

  /**
   * Offers the bytes of {@code prefix} (the partial, or the local file for {@link GetMode#RESUME_LOCAL}) for a
   * resume and receives the rest: appended to {@code prefix} when the server confirms it, otherwise the whole
   * file into {@code partial} from byte 0.
   */
  private Attempt attempt(String remotePath, Path prefix, Path partial, ByteBuffer buffer,
      TransferListener listener) throws IOException {
    MessageDigest digest = Digests.sha256();
    long have = hashExisting(prefix, digest, buffer);
    Request.Get request = have > 0
        ? new Request.Get(remotePath, have, Digests.hexSoFar(digest))
        : new Request.Get(remotePath, 0, null);
    Response.GetReady ready = wire.call(request, Response.GetReady.class);
    long offset = ready.offset();
    if (offset != 0 && (offset != have || offset > ready.size())) {
      throw wire.lost(new IOException("server offered to resume from " + offset + " but we hold " + have));
    }
    Path target = offset > 0 ? prefix : partial;
    // Created only now, so a refused download (not-found, ...) leaves no empty partial behind.
    try (FileChannel file = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      if (offset == 0) {
        file.truncate(0);
        digest.reset();
      }
      file.position(offset);
      listener.started(fileName(remotePath), ready.size(), offset);
      receive(file, offset, ready.size(), digest, buffer, listener);
      Response.GetDone done = wire.expect(Response.GetDone.class);
      String sha256 = Digests.hex(digest.digest());
      if (sha256.equals(done.sha256())) file.force(true);
      return new Attempt(ready.size(), offset, sha256, done.sha256(), target);
    } catch (FtpException e) {
      throw e;
    } catch (IOException e) {
      // Raw bytes are (or may be) still on their way: the byte stream is out of step.
      throw wire.lost(e);
    }
  }

  /** Feeds an existing file into {@code digest} and returns its length, or 0 when there is none. */
  private long hashExisting(Path prefix, MessageDigest digest, ByteBuffer buffer) throws IOException {
    if (!Files.isRegularFile(prefix)) return 0;
    try (FileChannel file = FileChannel.open(prefix, StandardOpenOption.READ)) {
      long have = file.size();
      Digests.update(digest, file, have, buffer);
      return have;
    }
  }

  /**
   * Reads exactly {@code size - from} raw bytes off the wire into {@code file}: each piece lands in a direct
   * buffer, is hashed from there and written to the file from the same memory. A local write failure still
   * leaves unread bytes on the wire, so it loses the connection too.
   */
  private void receive(FileChannel file, long from, long size, MessageDigest digest, ByteBuffer buffer,
      TransferListener listener) throws IOException {
    long position = from;
    while (position < size) {
      ByteBuffer bytes = wire.readRaw(buffer, size - position);
      int n = bytes.remaining();
      digest.update(bytes.duplicate());
      try {
        while (bytes.hasRemaining()) file.write(bytes);
      } catch (IOException e) {
        throw wire.lost(e);
      }
      position += n;
      listener.progress(position);
    }
  }

  static String fileName(String remotePath) {
    String trimmed = remotePath.endsWith("/") ? remotePath.substring(0, remotePath.length() - 1) : remotePath;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
