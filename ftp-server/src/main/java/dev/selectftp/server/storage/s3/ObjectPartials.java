package dev.selectftp.server.storage.s3;

import dev.selectftp.server.storage.FileInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.bouncycastle.crypto.digests.SHA256Digest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The partials of one home on S3 (see {@link PartialUpload} for what a partial is there), and the write
 * channels this node has open on them. A partial's {@link Path} is its hidden state key,
 * {@code TARGET.selectftp-part}. Blocking: helper threads only.
 */
final class ObjectPartials {
  private final S3Client s3;
  private final String bucket;
  private final Spool spool;
  /** The partials this node writes, or wrote and has not published or dropped yet. */
  private final ConcurrentMap<Path, PartChannel> writing = new ConcurrentHashMap<>();

  ObjectPartials(S3Client s3, String bucket, Spool spool) {
    this.s3 = s3;
    this.bucket = bucket;
    this.spool = spool;
  }

  /** The target's key of a partial's path. */
  static String targetKey(Path partial) {
    String key = partial.toString();
    if (!key.endsWith(ObjectHomeStore.PARTIAL_SUFFIX)) throw new IllegalArgumentException("not a partial");
    return key.substring(0, key.length() - ObjectHomeStore.PARTIAL_SUFFIX.length());
  }

  /**
   * What the partial holds: after a sync on this node, every byte written (the commit is next); else the
   * whole parts the store holds, once this node's sends settled.
   */
  FileInfo stat(Path partial) throws IOException {
    PartChannel open = writing.get(partial);
    if (open != null && open.forced()) return new FileInfo(partial, true, false, open.written(), System.currentTimeMillis(), null);
    if (open != null) open.awaitSent();
    PartialUpload up = PartialUpload.load(s3, bucket, targetKey(partial));
    if (!up.exists()) return FileInfo.missing(partial);
    long millis = up.saved() == null ? 0 : up.saved().toEpochMilli();
    return new FileInfo(partial, true, false, up.stored(), millis, null);
  }

  /** Opens the partial's write channel at its stored parts, or emptied ({@code truncate}). */
  PartChannel openWrite(Path partial, boolean truncate) throws IOException {
    PartChannel earlier = writing.remove(partial);
    if (earlier != null) earlier.awaitSent();
    String key = targetKey(partial);
    PartialUpload up = PartialUpload.load(s3, bucket, key);
    if (truncate && up.exists()) up.abort();
    PartChannel channel = new PartChannel(up, spool, () -> forget(partial));
    writing.put(partial, channel);
    return channel;
  }

  /** Drops a channel closed without a sync, once its sends are done, unless a newer one took its place. */
  private void forget(Path partial) {
    writing.computeIfPresent(partial, (p, ch) -> ch.isOpen() || ch.forced() ? ch : null);
  }

  /** The digest of the partial's first {@code bytes}, when a channel open here holds exactly those. */
  Optional<MessageDigest> heldDigest(Path partial, long bytes) {
    PartChannel open = writing.get(partial);
    if (bytes == 0) return Optional.of(SavedSha256.resume(new SHA256Digest()));
    return open == null ? Optional.empty() : open.upload().digestOf(bytes);
  }

  /**
   * Publishes the synced partial as its target, atomically (CompleteMultipartUpload or one PutObject).
   *
   * @return false when no synced channel of this partial is open here
   */
  boolean publish(Path partial) throws IOException {
    PartChannel open = writing.get(partial);
    if (open == null || !open.forced()) return false;
    open.commit();
    writing.remove(partial, open);
    return true;
  }

  /** Drops the partial: its upload, every part, the saved state and any spool. Returns the bytes freed. */
  long delete(Path partial) throws IOException {
    PartChannel open = writing.remove(partial);
    if (open != null) {
      long freed = open.size();
      open.discard();
      return freed;
    }
    PartialUpload up = PartialUpload.load(s3, bucket, targetKey(partial));
    long freed = up.stored();
    up.abort();
    return freed;
  }

  /** True while a channel of this node writes the partial, or its sends are still going. */
  boolean busy(Path partial) {
    return writing.containsKey(partial);
  }
}
