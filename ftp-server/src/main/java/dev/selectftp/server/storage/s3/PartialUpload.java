package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.digests.SHA256Digest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The S3 side of one partial: a multipart upload of the target key, created with its first full part, and
 * after every full part the SHA-256 <b>midstate</b> of all bytes so far, saved under the hidden key
 * {@code TARGET.selectftp-part} (no virtual path can name it: {@code VirtualPath} refuses that suffix) with
 * the upload's id and its part count ({@link PartialState}). That saved state is the partial as other nodes
 * see it: its length is {@code parts * PART_SIZE}, and an upload resumed there continues the hash from the
 * state instead of reading the parts back, which S3 cannot do for an unfinished upload. The state is written
 * after its part is stored, so it never names a part the store lacks.
 *
 * <p><b>Threads.</b> Blocking network calls, helper threads only. Parts are hashed one at a time in order
 * ({@link #prepare}, in the write channel's chain) and then sent concurrently ({@link #send}); the state
 * saved is always that of the longest run of stored parts 1..n.
 */
final class PartialUpload {
  private static final int READ_CHUNK = 64 * 1024;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  /** Serializes the saves of the state, so an older one never lands after a newer one. */
  private final Object saving = new Object();
  /** Null until the first part is prepared. */
  private String uploadId;
  /** Part n at index n - 1, for every part hashed; null until the store confirmed it. */
  private final List<CompletedPart> parts = new ArrayList<>();
  /** The midstate after n parts at index n (0 = no bytes); earlier ones are unknown after a resume. */
  private final List<byte[]> states = new ArrayList<>();
  private SHA256Digest digest = new SHA256Digest();
  /** Parts the saved state covers. */
  private int savedParts;
  private Instant saved;

  private PartialUpload(S3Client s3, String bucket, String key) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
  }

  /** A partial with nothing stored. */
  static PartialUpload fresh(S3Client s3, String bucket, String key) {
    return new PartialUpload(s3, bucket, key);
  }

  /**
   * Blocking (a GET and a ListParts): the partial of {@code key} as the store holds it, or a fresh one when
   * there is no saved state or its upload is gone (aborted by a lifecycle rule, say) or lacks a part.
   */
  static PartialUpload load(S3Client s3, String bucket, String key) throws IOException {
    PartialUpload p = new PartialUpload(s3, bucket, key);
    Optional<PartialState> saved = PartialState.read(s3, bucket, key);
    if (saved.isEmpty()) return p;
    PartialState state = saved.get();
    Optional<StoredParts> stored = StoredParts.of(s3, bucket, key, state.uploadId(), ObjectUpload.PART_SIZE,
        state.parts());
    if (stored.isEmpty() || stored.get().count() != state.parts()) return p;
    p.digest = new SHA256Digest(state.midstate());
    p.parts.addAll(stored.get().run());
    p.uploadId = state.uploadId();
    p.saved = state.saved();
    p.savedParts = state.parts();
    for (int i = 0; i < state.parts(); i++) p.states.add(null);
    p.states.add(state.midstate());
    return p;
  }

  /** The longest run of stored parts 1..n. */
  private int storedRun() {
    int n = 0;
    while (n < parts.size() && parts.get(n) != null) n++;
    return n;
  }

  /** True when the store holds at least one part of this partial. */
  synchronized boolean exists() {
    return storedRun() > 0;
  }

  /** Bytes the store holds as a run of whole parts from the start. */
  synchronized long stored() {
    return (long) storedRun() * ObjectUpload.PART_SIZE;
  }

  /** When the state was last saved, or null if never. */
  synchronized Instant saved() {
    return saved;
  }

  /** A digest of the first {@code bytes}, when they are exactly the parts, all stored. */
  synchronized Optional<MessageDigest> digestOf(long bytes) {
    int n = storedRun();
    boolean exact = n == parts.size() && bytes == (long) n * ObjectUpload.PART_SIZE && states.get(n) != null;
    return exact ? Optional.of(SavedSha256.resume(states.get(n))) : Optional.empty();
  }

  /** True when the midstate after {@code count} parts is known, so the partial can be cut back to them. */
  synchronized boolean canCutTo(int count) {
    return count == 0 || (count < states.size() && states.get(count) != null);
  }

  /**
   * Blocking, in order: hashes {@code file} (exactly {@link ObjectUpload#PART_SIZE} bytes) as the next part,
   * creating the multipart upload first if needed, and returns its number for {@link #send}.
   */
  synchronized int prepare(Path file) throws IOException {
    if (parts.size() == ObjectUpload.MAX_PARTS) {
      throw new IOException("the file is larger than " + ObjectUpload.MAX_PARTS + " parts");
    }
    if (uploadId == null) {
      uploadId = io("create multipart upload", () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key))).uploadId();
      states.clear();
      states.add(new SHA256Digest().getEncodedState());
    }
    hash(digest, file);
    parts.add(null);
    states.add(digest.getEncodedState());
    return parts.size();
  }

  /** Blocking, any order: sends prepared part {@code number}, then saves the state of the stored run. */
  void send(int number, Path file) throws IOException {
    String id;
    synchronized (this) {
      id = uploadId;
    }
    String eTag = io("upload part", () -> s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(id).partNumber(number),
        RequestBody.fromFile(file))).eTag();
    synchronized (this) {
      if (!id.equals(uploadId) || number > parts.size()) return; // cut or dropped meanwhile
      parts.set(number - 1, CompletedPart.builder().partNumber(number).eTag(eTag).build());
    }
    saveState();
  }

  /** Saves the state of the longest stored run, when it is longer than the one saved. */
  private void saveState() throws IOException {
    synchronized (saving) {
      PartialState state;
      synchronized (this) {
        int n = storedRun();
        if (n <= savedParts || uploadId == null) return;
        state = new PartialState(uploadId, n, states.get(n), null);
      }
      state.save(s3, bucket, key);
      synchronized (this) {
        savedParts = state.parts();
        saved = Instant.now();
      }
    }
  }

  /**
   * Blocking, once every send is done: drops the parts after the first {@code count} (see {@link #canCutTo})
   * and saves the state. Later parts stay in the upload until overwritten; the commit names only these.
   */
  void cutTo(int count) throws IOException {
    if (count == 0) {
      abort();
      return;
    }
    synchronized (this) {
      if (count >= parts.size()) return;
      parts.subList(count, parts.size()).clear();
      states.subList(count + 1, states.size()).clear();
      digest = new SHA256Digest(states.get(count));
      savedParts = 0; // the saved state names more parts: write this one
    }
    saveState();
  }

  /**
   * Blocking, once every send is done: publishes the object atomically, the stored parts followed by
   * {@code tail} (under one part): CompleteMultipartUpload, or one PutObject carrying the label when no part
   * was sent, which is labelled as {@link ObjectUpload} labels (a multipart object by a server-side copy onto
   * itself, before the client hears of the file, so no rename or delete of the user's can race the copy and
   * bring the object back). Then the saved state goes.
   *
   * @return the lower-case hex SHA-256 of the whole object
   */
  synchronized String complete(Path tail, long tailSize) throws IOException {
    if (storedRun() != parts.size()) throw new IOException("a part of the upload was not stored");
    SHA256Digest whole = new SHA256Digest(digest);
    hash(whole, tail);
    byte[] out = new byte[whole.getDigestSize()];
    whole.doFinal(out, 0);
    String hex = HexFormat.of().formatHex(out);
    Map<String, String> label = Map.of(ObjectUpload.SHA256_METADATA, hex);
    if (uploadId == null) {
      io("put", () -> s3.putObject(r -> r.bucket(bucket).key(key).metadata(label), RequestBody.fromFile(tail)));
    } else {
      String id = uploadId;
      List<CompletedPart> all = new ArrayList<>(parts);
      if (tailSize > 0) {
        int number = parts.size() + 1;
        String eTag = io("upload part", () -> s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(id)
            .partNumber(number), RequestBody.fromFile(tail))).eTag();
        all.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
      }
      String eTag = io("complete multipart upload", () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(key)
          .uploadId(id).multipartUpload(m -> m.parts(all)))).eTag();
      if (stored() + tailSize <= ObjectUpload.MAX_COPY_BYTES) ObjectUpload.label(s3, bucket, key, eTag, label);
    }
    uploadId = null;
    deleteState();
    return hex;
  }

  /** Best effort, as in {@link ObjectUpload}: an unlabelled object only has an unknown hash. */
  /** Blocking: drops the multipart upload, every part and the saved state. */
  synchronized void abort() throws IOException {
    if (uploadId != null) {
      String id = uploadId;
      try {
        io("abort multipart upload", () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id)));
      } catch (IOException e) {
        if (!S3Calls.answered(e, S3Calls.NOT_FOUND)) throw e;
      }
    }
    uploadId = null;
    parts.clear();
    states.clear();
    digest = new SHA256Digest();
    savedParts = 0;
    deleteState();
  }

  private void deleteState() throws IOException {
    PartialState.delete(s3, bucket, key);
  }

  private static void hash(SHA256Digest digest, Path file) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
      while (in.read(buffer) > 0) {
        digest.update(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
    }
  }
}
