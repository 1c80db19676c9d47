package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.storage.s3.S3Calls.io;

import dev.selectftp.server.storage.VirtualPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.digests.SHA256Digest;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The saved state of a partial on S3, the small object under the hidden key {@code TARGET.selectftp-part} (no
 * virtual path can name it: {@code VirtualPath} refuses that suffix): which multipart upload of the target is
 * the partial, how many of its parts 1..n the state covers, and the SHA-256 midstate after those parts
 * (BouncyCastle's encoded state, see {@link SavedSha256}). The server's upload writes it after each stored
 * run of parts; whoever resumes the target reads it, so the partial's length and hash prefix are known
 * without reading the parts back, which S3 cannot do for an unfinished upload.
 *
 * <p>Four lines: {@link #FORMAT}, the upload id, the part count, the midstate in Base64.
 *
 * @param uploadId the multipart upload the state belongs to
 * @param parts how many whole parts (1..n) the midstate covers
 * @param midstate the encoded SHA-256 state after those parts
 * @param saved when the store took the state (its LastModified), or null when not read from the store
 */
record PartialState(String uploadId, int parts, byte[] midstate, Instant saved) {
  /** The first line of a saved state: its format. */
  static final String FORMAT = "selectftp-partial-v1";
  private static final int LINES = 4;

  /** The hidden key holding the state of {@code targetKey}'s partial. */
  static String keyOf(String targetKey) {
    return targetKey + VirtualPath.PARTIAL_SUFFIX;
  }

  /**
   * Blocking (one GET): the state saved for {@code targetKey}, or empty when there is none or it is not one
   * this server wrote (another format, a bad count or midstate): then there is nothing to resume from.
   */
  static Optional<PartialState> read(S3Client s3, String bucket, String targetKey) throws IOException {
    Optional<ResponseBytes<GetObjectResponse>> got = S3Calls.getBytes(s3, bucket, keyOf(targetKey));
    if (got.isEmpty()) return Optional.empty();
    String[] lines = got.get().asString(StandardCharsets.UTF_8).split("\n");
    if (lines.length < LINES || !lines[0].equals(FORMAT)) return Optional.empty();
    try {
      int parts = Integer.parseInt(lines[2]);
      byte[] midstate = Base64.getDecoder().decode(lines[3]);
      new SHA256Digest(midstate); // refuses a state it cannot continue from
      if (parts < 0) return Optional.empty();
      return Optional.of(new PartialState(lines[1], parts, midstate, got.get().response().lastModified()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Blocking (one PUT): saves this state as {@code targetKey}'s, replacing the one saved before. */
  void save(S3Client s3, String bucket, String targetKey) throws IOException {
    String text = FORMAT + "\n" + uploadId + "\n" + parts + "\n" + Base64.getEncoder().encodeToString(midstate) + "\n";
    io("save partial state", () -> s3.putObject(r -> r.bucket(bucket).key(keyOf(targetKey)),
        RequestBody.fromString(text)));
  }

  /** Blocking (one DELETE): removes {@code targetKey}'s saved state, if any. */
  static void delete(S3Client s3, String bucket, String targetKey) throws IOException {
    io("delete partial state", () -> s3.deleteObject(r -> r.bucket(bucket).key(keyOf(targetKey))));
  }
}
