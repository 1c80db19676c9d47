package dev.selectftp.server.storage.s3;

import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.jcajce.provider.digest.BCMessageDigest;

/**
 * A SHA-256 {@link MessageDigest} that starts from a saved midstate: the state of a digest after some bytes,
 * as BouncyCastle's {@link SHA256Digest#getEncodedState()} encodes it (the eight chaining words, the pending
 * block and the byte count). The JDK's SHA-256 cannot export or import its state, which is why an upload
 * resumed on another node, whose first bytes sit in parts of an unfinished multipart upload that S3 cannot
 * read back, needs this one to continue the hash.
 */
final class SavedSha256 extends BCMessageDigest implements Cloneable {
  private SavedSha256(SHA256Digest state) {
    super(state);
  }

  /** A digest that continues after the bytes {@code encodedState} was saved from. */
  static MessageDigest resume(byte[] encodedState) {
    return new SavedSha256(new SHA256Digest(encodedState));
  }

  /** A digest that continues from a copy of {@code state} (which stays as it is). */
  static MessageDigest resume(SHA256Digest state) {
    return new SavedSha256(new SHA256Digest(state));
  }

  @Override
  public Object clone() {
    return new SavedSha256(new SHA256Digest((SHA256Digest) digest));
  }
}
