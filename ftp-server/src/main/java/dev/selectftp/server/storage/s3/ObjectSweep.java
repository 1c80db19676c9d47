package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import dev.selectftp.common.LogText;
import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Tally;
import dev.selectftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code --partial-max-age} clean-up of one home on S3, as {@code files/StalePartials} is on disk. The
 * partial of a target key {@code T} is every multipart upload of {@code T} together with its hidden keys:
 * {@code T.selectftp-part} and any key under {@code T.selectftp-part/} (saved upload state; no virtual path
 * can name them, {@link VirtualPath} refuses the suffix). A partial idle for longer than the maximum age is
 * removed: its uploads aborted (AbortMultipartUpload frees their parts), its hidden keys deleted.
 *
 * <p><b>Age is the last write, not the start.</b> A partial's last activity is the newest LastModified of
 * its stored parts (ListParts) and hidden keys, as a partial file's modification time is on disk: an upload
 * resumed yesterday but started last month is not stale. {@code Initiated} counts only for an upload with no
 * part yet. This is also the fallback for stores whose {@code Initiated} is not the start: S3Proxy's
 * filesystem backend reports the time of the listing, so there an upload without parts never looks stale
 * (it holds no bytes; a bucket lifecycle rule removes it). On AWS, where Initiated precedes every part, the
 * rule gives the same answer as "the newest of Initiated and the parts".
 *
 * <p><b>Guard.</b> Like the local sweep, a stale candidate is held by the {@link PartialGuard} under the path
 * {@link #partialOf}{@code (T)} (the path an upload of {@code T} locks), read again under the hold and only
 * then removed, so an upload this node is writing is never aborted and the bytes counted are the bytes
 * freed. Another node's upload is protected only by its age (the guard is per node), as on a shared disk.
 *
 * <p><b>Cost.</b> One listing of the home's keys and one of its uploads (paged), then per partial not
 * written lately a listing of its uploads and hidden keys and a ListParts per upload, twice for a stale one:
 * a maintenance task for helper threads, never the loop.
 */
public final class ObjectSweep {
  private static final Logger log = LoggerFactory.getLogger(ObjectSweep.class);
  private static final String HIDDEN = VirtualPath.PARTIAL_SUFFIX;

  private final S3Client s3;
  private final String bucket;
  private final String root;

  ObjectSweep(S3Client s3, String bucket, String root) {
    this.s3 = s3;
    this.bucket = bucket;
    this.root = root;
  }

  /**
   * The sweep of {@code user}'s home under {@code prefix} in {@code bucket} (as {@link ObjectHome#of}).
   *
   * @throws IllegalArgumentException for a bad user name or prefix
   */
  public static ObjectSweep of(S3Client s3, String bucket, String prefix, String user) {
    return new ObjectSweep(s3, bucket, ObjectKeys.of(prefix, user).root());
  }

  /** The path under which an upload of {@code targetKey} is held: its hidden key {@code T.selectftp-part}. */
  public static Path partialOf(String targetKey) {
    return Path.of(PartialState.keyOf(targetKey));
  }

  /**
   * Blocking: removes every partial of the home idle since before {@code now - maxAge} that {@code guard}
   * does not hold. A partial that fails to go (the store answers an error) is logged and left for the next
   * sweep; nothing else is touched.
   *
   * @return what was freed: the bytes of the aborted uploads' parts (hidden keys' own bytes are bookkeeping,
   *     not counted) and one entry per partial
   * @throws IOException when the home's keys or uploads cannot be listed
   */
  public Tally deleteStale(Duration maxAge, Instant now, PartialGuard guard) throws IOException {
    Instant cutoff = now.minus(maxAge);
    Map<String, Boolean> targets = new TreeMap<>(); // target key -> some hidden key is newer than the cutoff
    for (S3Object o : keys(root)) {
      String target = targetOf(o.key());
      if (target != null) targets.merge(target, !o.lastModified().isBefore(cutoff), Boolean::logicalOr);
    }
    for (MultipartUpload u : uploads(root)) targets.putIfAbsent(u.key(), false);
    long bytes = 0;
    long entries = 0;
    for (Map.Entry<String, Boolean> t : targets.entrySet()) {
      if (t.getValue()) continue; // a hidden key was written lately: busy, no need to ask for its parts
      String target = t.getKey();
      try {
        if (!read(target).staleBefore(cutoff)) continue;
        Path held = partialOf(target);
        if (!guard.tryHold(held)) continue; // an upload is writing it
        try {
          Partial again = read(target);
          if (!again.staleBefore(cutoff)) continue;
          remove(target, again);
          bytes += again.bytes();
          entries++;
          log.info("deleted stale partial {} ({} bytes, last written {})",
              LogText.of(virtualOf(target)), again.bytes(), again.lastActivity());
        } finally {
          guard.release(held);
        }
      } catch (IOException e) {
        log.warn("cannot delete stale partial {}: {}", LogText.of(virtualOf(target)), LogText.of(e.getMessage()));
      }
    }
    return new Tally(bytes, entries);
  }

  /** One target's uploads (with their parts' total and newest write) and hidden keys, as the store has them. */
  private record Partial(List<MultipartUpload> uploads, List<S3Object> hidden, long bytes, Instant lastActivity) {
    /** True when nothing was written since {@code cutoff} (a partial with nothing known is not stale). */
    boolean staleBefore(Instant cutoff) {
      return lastActivity != null && lastActivity.isBefore(cutoff);
    }
  }

  private Partial read(String target) throws IOException {
    List<MultipartUpload> mine = new ArrayList<>();
    for (MultipartUpload u : uploads(target)) if (u.key().equals(target)) mine.add(u);
    List<S3Object> hidden = new ArrayList<>();
    for (S3Object o : keys(target + HIDDEN)) if (target.equals(targetOf(o.key()))) hidden.add(o);
    long bytes = 0;
    Instant last = null;
    for (S3Object o : hidden) last = newer(last, o.lastModified());
    for (MultipartUpload u : mine) {
      Instant newestPart = null;
      for (Part p : parts(u)) {
        bytes += p.size();
        newestPart = newer(newestPart, p.lastModified());
      }
      last = newer(last, newestPart != null ? newestPart : u.initiated());
    }
    return new Partial(mine, hidden, bytes, last);
  }

  private void remove(String target, Partial p) throws IOException {
    for (MultipartUpload u : p.uploads()) {
      io("abort multipart upload", () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(target).uploadId(u.uploadId())));
    }
    List<String> deepestFirst = new ArrayList<>(p.hidden().stream().map(S3Object::key).toList());
    deepestFirst.sort(Comparator.reverseOrder());
    for (String key : deepestFirst) io("delete", () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
  }

  /** The target a hidden key belongs to ({@code T} of {@code T.selectftp-part[/...]}), or null for other keys. */
  private String targetOf(String key) {
    if (!key.startsWith(root)) return null;
    for (int end = key.indexOf(HIDDEN, root.length()); end >= 0; end = key.indexOf(HIDDEN, end + 1)) {
      int after = end + HIDDEN.length();
      boolean wholeName = after == key.length() || key.charAt(after) == '/';
      if (wholeName && end > root.length() && key.charAt(end - 1) != '/') return key.substring(0, end);
    }
    return null;
  }

  private String virtualOf(String key) {
    return VirtualPath.ROOT + key.substring(root.length());
  }

  private List<S3Object> keys(String prefix) throws IOException {
    return S3Calls.allKeys(s3, bucket, prefix);
  }

  private List<MultipartUpload> uploads(String prefix) throws IOException {
    return S3Calls.allUploads(s3, bucket, prefix);
  }

  private List<Part> parts(MultipartUpload u) throws IOException {
    List<Part> all = new ArrayList<>();
    Integer marker = null;
    do {
      Integer after = marker;
      ListPartsResponse r = io("list parts",
          () -> s3.listParts(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId()).partNumberMarker(after)));
      all.addAll(r.parts());
      marker = Boolean.TRUE.equals(r.isTruncated()) ? r.nextPartNumberMarker() : null;
    } while (marker != null);
    return all;
  }

  private static Instant newer(Instant a, Instant b) {
    if (a == null) return b;
    return b == null || a.isAfter(b) ? a : b;
  }
}
