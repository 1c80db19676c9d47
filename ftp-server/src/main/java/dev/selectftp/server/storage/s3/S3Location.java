package dev.selectftp.server.storage.s3;

import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.VirtualPath;
import java.net.URI;
import java.util.Objects;

/**
 * Where the homes live on S3: {@code --storage s3://BUCKET/PREFIX} and {@code --s3-endpoint URL}.
 *
 * @param bucket the one bucket holding every home
 * @param prefix the key prefix under which each user's home is {@code USER/}; empty for the bucket's top
 * @param endpoint the store's URL (MinIO, Ceph RGW, S3Proxy); null for AWS itself
 */
public record S3Location(String bucket, String prefix, URI endpoint) {
  /** The scheme of {@code --storage}. */
  public static final String SCHEME = "s3";

  public S3Location {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
  }

  /**
   * Parses {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX}; the prefix's names follow the rules of a virtual
   * path, so no key made from it can hold {@code ..} or an empty name.
   *
   * @throws IllegalArgumentException with a message fit for the operator
   */
  public static S3Location parse(String storage, URI endpoint) {
    String start = SCHEME + "://";
    if (!storage.startsWith(start)) throw new IllegalArgumentException("\"" + storage + "\" is not s3://BUCKET/PREFIX");
    String rest = storage.substring(start.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    // S3's bucket naming rule, in short: 3 to 63 lower-case letters, digits, dots and dashes.
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("\"" + bucket + "\" is not a bucket name (3-63 of a-z 0-9 . -)");
    }
    while (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
    if (!prefix.isEmpty()) {
      String clean;
      try {
        clean = VirtualPath.resolve(VirtualPath.ROOT, prefix).substring(1);
      } catch (Refused e) {
        throw new IllegalArgumentException("\"" + prefix + "\" is not a key prefix: " + e.getMessage(), e);
      }
      // Keys are made from the prefix as written: one that only works once cleaned up is a typo, said so.
      if (!clean.equals(prefix)) {
        throw new IllegalArgumentException("\"" + prefix + "\" is not a clean key prefix (write " + clean + ")");
      }
    }
    return new S3Location(bucket, prefix, endpoint);
  }

  /** The endpoint as {@code --s3-endpoint} takes it: an http or https URL. */
  public static URI endpoint(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + url + "\" is not a URL", e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("\"" + url + "\" is not an http:// or https:// URL");
    }
    return uri;
  }

  @Override
  public String toString() {
    return start() + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  private static String start() {
    return SCHEME + "://";
  }
}
