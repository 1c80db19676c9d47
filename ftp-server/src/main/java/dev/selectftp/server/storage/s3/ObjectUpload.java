package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * One upload of a file to S3 as a multipart upload, the S3 form of a partial: parts the store has
 * confirmed survive a dropped connection or a server restart, and the object appears only at
 * {@link #complete}, atomically (CompleteMultipartUpload), never half-written.
 *
 * <p><b>Parts.</b> Bytes are buffered to {@link #PART_SIZE} and sent as one UploadPart each; S3 refuses parts
 * under {@link #MIN_PART_SIZE} except the last, so the tail stays in memory until {@link #complete}. At most
 * {@link #MAX_PARTS} parts, so an object holds at most {@code PART_SIZE * MAX_PARTS} bytes (80 GB).
 *
 * <p><b>Resume granularity.</b> An interrupted upload continues after the parts already stored
 * ({@link ObjectHome#findInterruptedUpload}); its {@link #length()} is always a multiple of {@link #PART_SIZE}.
 * Bytes buffered but not yet stored as a part when the connection dropped are lost and must be sent again,
 * so a client resuming at any other offset is told the part boundary and re-sends the tail.
 *
 * <p><b>Which upload resumes.</b> A key can have several unfinished uploads (a crash between starting one and
 * saving its state, two nodes). {@link #findInterrupted} takes the one the key's saved state
 * ({@link PartialState}, the hidden key the server's uploads write) names; else the one with the longest run
 * of stored parts, then the newest part, then the greatest upload id. Never by {@code Initiated}: S3Proxy
 * reports the time of the listing there. The others are left to the stale partial sweep
 * ({@code --partial-max-age}), not aborted here: this form holds no upload lock, so it cannot tell a leftover
 * from an upload another node is sending right now; the sweep aborts them with the key's partial once it is
 * idle that long.
 *
 * <p><b>SHA-256.</b> Computed while streaming and stored as user metadata {@value #SHA256_METADATA}
 * ({@code x-amz-meta-sha256}). S3 takes metadata only when an upload starts, before the hash is known, so:
 * a file smaller than one part is written by one PutObject carrying its hash (atomic with it); a larger one
 * is completed, then labelled by a server-side CopyObject onto itself with the hash (guarded by the ETag,
 * so a newer object is never labelled with an older hash). Between the two the object exists without the
 * label, and an object with no label has an unknown hash that a reader computes. An upload resumed where the
 * saved state names it continues the hash from the state's SHA-256 midstate ({@link SavedSha256}), after
 * exactly the parts the state covers (later ones are sent again), and is never read back. This form saves
 * no state itself, so an upload it started and then resumed has a digest that does not cover the parts
 * stored before the interruption: at completion that object is read back once to hash it. A state this
 * upload resumed from is deleted when it completes. Objects over
 * {@link #MAX_COPY_BYTES} stay unlabelled (CopyObject's limit).
 *
 * <p><b>Threads.</b> Every method blocks on the network: helper threads only. One upload is used by one
 * thread at a time.
 */
public final class ObjectUpload {
  /** The user metadata key of the whole object's SHA-256, lower-case hex. */
  public static final String SHA256_METADATA = "sha256";
  /** S3's smallest part except the last. */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
  /** Bytes per stored part, so also the resume granularity. */
  public static final int PART_SIZE = 8 * 1024 * 1024;
  /** S3's most parts in one upload. */
  public static final int MAX_PARTS = 10_000;
  /** CopyObject's largest source: bigger objects are not labelled with their hash. */
  static final long MAX_COPY_BYTES = 5L * 1024 * 1024 * 1024;
  private static final int READ_CHUNK = 64 * 1024;
  /** Among uploads no saved state names, the one to resume is the greatest: most stored, newest, then by id. */
  private static final Comparator<StoredParts> RESUME_ORDER = Comparator.comparingLong(StoredParts::bytes)
      .thenComparing(StoredParts::newest, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(StoredParts::uploadId);

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final String uploadId;
  private final List<CompletedPart> parts;
  private final MessageDigest digest;
  /** False when resumed without a saved state: the digest misses the parts stored before. */
  private final boolean digestCoversAll;
  /** Resumed where the key's saved state named it: the state goes when this upload completes. */
  private final boolean resumedFromState;
  private ByteBuffer buffer;
  private long stored;
  private boolean finished;
  private String sha256;

  /** {@code digestSoFar}: the hash of the bytes in {@code parts}, or null when unknown (read back at the end). */
  private ObjectUpload(S3Client s3, String bucket, String key, String uploadId, List<CompletedPart> parts,
      MessageDigest digestSoFar) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.uploadId = uploadId;
    this.parts = new ArrayList<>(parts);
    this.stored = (long) parts.size() * PART_SIZE;
    this.digestCoversAll = parts.isEmpty() || digestSoFar != null;
    this.resumedFromState = digestSoFar != null;
    this.digest = digestSoFar != null ? digestSoFar : sha256();
  }

  static ObjectUpload start(S3Client s3, String bucket, String key) throws IOException {
    String id = io("create multipart upload", () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key))).uploadId();
    return new ObjectUpload(s3, bucket, key, id, List.of(), null);
  }

  /**
   * Blocking: the unfinished multipart upload of exactly {@code key} to resume (see "Which upload resumes"),
   * with its stored run of parts 1..n, or empty when there is none.
   */
  static Optional<ObjectUpload> findInterrupted(S3Client s3, String bucket, String key) throws IOException {
    List<String> ids = new ArrayList<>();
    for (MultipartUpload u : S3Calls.allUploads(s3, bucket, key)) if (u.key().equals(key)) ids.add(u.uploadId());
    if (ids.isEmpty()) return Optional.empty();
    Optional<PartialState> saved = PartialState.read(s3, bucket, key);
    if (saved.isPresent() && ids.contains(saved.get().uploadId())) {
      PartialState state = saved.get();
      Optional<StoredParts> covered = StoredParts.of(s3, bucket, key, state.uploadId(), PART_SIZE, state.parts());
      if (covered.isPresent() && covered.get().count() == state.parts()) {
        return Optional.of(new ObjectUpload(s3, bucket, key, state.uploadId(), covered.get().run(),
            SavedSha256.resume(state.midstate())));
      }
    }
    List<StoredParts> candidates = new ArrayList<>();
    for (String id : ids) StoredParts.of(s3, bucket, key, id, PART_SIZE, MAX_PARTS).ifPresent(candidates::add);
    return candidates.stream().max(RESUME_ORDER)
        .map(p -> new ObjectUpload(s3, bucket, key, p.uploadId(), p.run(), null));
  }

  /** Bytes the store holds for this upload so far: where a resumed upload continues. */
  public long length() {
    return stored;
  }

  /** Bytes accepted so far, stored or still buffered. */
  public long accepted() {
    return stored + (buffer == null ? 0 : buffer.position());
  }

  /**
   * Takes all of {@code src}; each time a part fills, sends it (one UploadPart, blocking). When a send
   * fails the part stays buffered (all of {@code src} was still taken, see {@link #accepted}) and the next
   * {@code write} or {@link #complete} sends it again; nothing stored is lost, and a new session can
   * resume from the stored parts instead.
   */
  public void write(ByteBuffer src) throws IOException {
    if (finished) throw new IllegalStateException("the upload is finished");
    if (buffer == null) buffer = ByteBuffer.allocate(PART_SIZE);
    while (src.hasRemaining()) {
      if (!buffer.hasRemaining()) sendPart();
      int n = Math.min(src.remaining(), buffer.remaining());
      ByteBuffer slice = src.slice(src.position(), n);
      digest.update(slice.duplicate());
      buffer.put(slice);
      src.position(src.position() + n);
    }
    if (!buffer.hasRemaining()) sendPart();
  }

  private void sendPart() throws IOException {
    if (parts.size() == MAX_PARTS) throw new IOException("the file is larger than " + MAX_PARTS + " parts");
    buffer.flip();
    int number = parts.size() + 1;
    int size = buffer.remaining();
    byte[] bytes = new byte[size];
    buffer.duplicate().get(bytes);
    String eTag;
    try {
      eTag = io("upload part", () -> s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
          .contentLength((long) size), RequestBody.fromBytes(bytes))).eTag();
    } catch (IOException e) {
      buffer.position(buffer.limit()).limit(buffer.capacity());
      throw e;
    }
    parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
    stored += size;
    buffer.clear();
  }

  /**
   * Publishes the object atomically with its SHA-256 and returns the hash.
   *
   * @return the lower-case hex SHA-256 of the whole object
   * @throws IOException when the store fails before the object is published (nothing changes; the same
   *     upload may call {@code complete} again), or while a resumed object is read back to hash it (the
   *     object is then stored, unlabelled)
   */
  public String complete() throws IOException {
    if (finished) throw new IllegalStateException("the upload is finished");
    if (buffer == null) buffer = ByteBuffer.allocate(0);
    if (parts.isEmpty()) {
      // Smaller than one part: one PutObject carrying the hash, then the empty upload is dropped.
      String hex = streamedSha256();
      byte[] bytes = new byte[buffer.position()];
      buffer.duplicate().flip().get(bytes);
      io("put", () -> s3.putObject(r -> r.bucket(bucket).key(key).metadata(Map.of(SHA256_METADATA, hex)),
          RequestBody.fromBytes(bytes)));
      finished = true;
      abortQuietly();
      return hex;
    }
    if (buffer.position() > 0) sendPart();
    CompleteMultipartUploadResponse done = io("complete multipart upload", () -> s3.completeMultipartUpload(r -> r
        .bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
    finished = true;
    if (resumedFromState) dropStateQuietly();
    String hex = digestCoversAll ? streamedSha256() : readBack();
    if (stored <= MAX_COPY_BYTES) label(s3, bucket, key, done.eTag(), Map.of(SHA256_METADATA, hex));
    return hex;
  }

  /** The digest of the bytes streamed, taken once (a MessageDigest resets when read), so a retry agrees. */
  private String streamedSha256() {
    if (sha256 == null) sha256 = HexFormat.of().formatHex(digest.digest());
    return sha256;
  }

  /** Drops the upload and every part it stored. */
  public void abort() throws IOException {
    finished = true;
    io("abort multipart upload", () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)));
  }

  /** The saved state named this upload, now complete: a leftover state would only wait for the sweep. */
  private void dropStateQuietly() {
    try {
      PartialState.delete(s3, bucket, key);
    } catch (IOException e) {
      // It names an upload that no longer exists, which every reader takes as no state; the sweep removes it.
    }
  }

  private void abortQuietly() {
    try {
      abort();
    } catch (IOException e) {
      // The object is stored; a leftover empty upload costs nothing and a lifecycle rule removes it.
    }
  }

  /**
   * Best effort: the object is stored whatever happens here, and an object without a label only has an
   * unknown hash. A 412 means a newer upload replaced it meanwhile, whose own label is the right one.
   */
  /**
   * Blocking: labels the stored object {@code key} with {@code metadata} (its SHA-256) by a CopyObject onto
   * itself, only while it is still the version {@code eTag}; best effort, since the object is stored either way.
   */
  static void label(S3Client s3, String bucket, String key, String eTag, Map<String, String> metadata) {
    try {
      io("label with sha256", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket)
          .destinationKey(key).copySourceIfMatch(eTag).metadataDirective(MetadataDirective.REPLACE)
          .metadata(metadata)));
    } catch (IOException e) {
      // Reporting the upload as failed would make the client send a stored file again; a 412 means a newer
      // upload replaced it, whose own label is the right one. Unlabelled, its hash is computed when read.
    }
  }

  private String readBack() throws IOException {
    MessageDigest whole = sha256();
    try (InputStream in = io("get", () -> s3.getObject(r -> r.bucket(bucket).key(key)))) {
      byte[] chunk = new byte[READ_CHUNK];
      int n;
      while ((n = in.read(chunk)) > 0) whole.update(chunk, 0, n);
    }
    return HexFormat.of().formatHex(whole.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
