package dev.selectftp.server.transfer;

import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Backlog;
import dev.selectftp.server.storage.HomeStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The partial file of one {@link Upload} as it is written: its write channel and the running SHA-256 of every
 * byte it holds, so the hash is known when the last byte arrives without reading the file again. A write
 * failure (a full disk) is kept for the caller rather than thrown, so the client's stream stays in step.
 * Loop-thread confined except the methods marked blocking.
 */
final class PartialWriter {
  private final HomeStore home;
  private final Path partial;
  /** Replaced once by a digest the store saved ({@link #hashHeldBlocking}). */
  private MessageDigest digest = Sha256.newDigest();
  /** Null until {@link #open}. */
  private FileChannel channel;
  private IOException writeFailure;
  /** The final hash, once {@link #finishHash} was called. */
  private String sha256;

  PartialWriter(HomeStore home, Path partial) {
    this.home = home;
    this.partial = partial;
  }

  /**
   * Opens (or creates) the partial for writing, keeping what it holds.
   *
   * @throws Refused as {@link HomeStore#openWrite}
   */
  void open() throws Refused {
    channel = home.openWrite(partial, false);
  }

  /** True once {@link #open} succeeded: a partial exists that an end must settle. */
  boolean opened() {
    return channel != null;
  }

  /** The write channel, for the settling of a partial left behind ({@link AbandonedPartial}); null before {@link #open}. */
  FileChannel channel() {
    return channel;
  }

  /** Drops every byte the partial holds, and their hash. */
  void empty() throws IOException {
    channel.truncate(0);
    digest.reset();
  }

  /** The next byte written goes to {@code offset}. */
  void position(long offset) throws IOException {
    channel.position(offset);
  }

  /**
   * Blocking: hashes the partial's first {@code bytes} (kept from an interrupted upload) into the running digest.
   *
   * @return the hex SHA-256 of those bytes
   */
  String hashHeldBlocking(long bytes) throws IOException, Refused {
    // A store that cannot read its partial back (S3) hands over the digest state it saved with the bytes.
    Optional<MessageDigest> held = home.heldDigest(partial, bytes);
    if (held.isPresent()) {
      digest = held.get();
      return Sha256.peekHex(digest);
    }
    // The write channel cannot read; a separate read channel goes through the same confinement checks.
    try (FileChannel reader = home.openRead(partial)) {
      Sha256.update(digest, reader, bytes);
    }
    return Sha256.peekHex(digest);
  }

  /**
   * Blocking: copies the first {@code bytes} of {@code file} into the empty partial, hashing them on the way.
   *
   * @return the hex SHA-256 of those bytes
   * @throws IOException when the file changed size meanwhile; the caller settles what was copied
   */
  String copyBlocking(Path file, long bytes) throws IOException, Refused {
    try (FileChannel reader = home.openRead(file)) {
      PartialCopy.copy(reader, channel, bytes, digest);
    }
    return Sha256.peekHex(digest);
  }

  /**
   * Hashes and writes the next {@code n} bytes of {@code source} without moving its position. A failed write
   * is kept ({@link #writeFailure}) and nothing is written after it.
   */
  void write(ByteBuffer source, int n) {
    if (writeFailure != null) return;
    Sha256.update(digest, source, n);
    ByteBuffer slice = source.duplicate();
    slice.limit(slice.position() + n);
    try {
      while (slice.hasRemaining()) channel.write(slice);
    } catch (IOException e) {
      writeFailure = e;
    }
  }

  /**
   * True when the store is behind the bytes written (see {@link Backlog}); {@code drained} then runs once,
   * on a helper thread. Never after a failed write (nothing more is written) nor for a local file.
   */
  boolean congested(Runnable drained) {
    return writeFailure == null && channel instanceof Backlog backlog && backlog.congested(drained);
  }

  /** The first failed write, else null. */
  IOException writeFailure() {
    return writeFailure;
  }

  /** The hex SHA-256 of every byte written or hashed so far; final from the first call on. */
  String finishHash() {
    if (sha256 == null) sha256 = Sha256.hex(digest);
    return sha256;
  }

  /** The hash {@link #finishHash} computed, else null. */
  String sha256() {
    return sha256;
  }

  /** Blocking: fsyncs and closes the partial. */
  void syncBlocking() throws IOException {
    channel.force(true);
    channel.close();
  }

  /** Blocking, after {@link #syncBlocking}: publishes the partial under {@code real} ({@link Publication}). */
  Publication publishBlocking(Path real) throws Refused {
    return Publication.publishBlocking(home, partial, real);
  }

  /** Closes the partial, logging a failure; safe twice, and before {@link #open}. */
  void close() {
    if (channel != null) AbandonedPartial.closeQuietly(channel);
  }
}
