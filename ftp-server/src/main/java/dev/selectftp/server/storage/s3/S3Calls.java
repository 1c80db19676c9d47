package dev.selectftp.server.storage.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs one S3 call and turns the SDK's unchecked failures into the project's split: the caller maps the
 * answers a user caused (a missing key) to a {@code Refused}; everything else (store down, timeout, denied
 * credentials, 5xx) is an {@link IOException}, as a failing disk is for the local store.
 */
final class S3Calls {
  /** HTTP status of a missing key, bucket or upload. */
  static final int NOT_FOUND = 404;

  /** One S3 request. */
  interface Call<T> {
    T run();
  }

  private S3Calls() {}

  /** Runs {@code call}; an S3 error answer or a transport failure becomes an IOException naming {@code what}. */
  static <T> T io(String what, Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (SdkException e) {
      throw new IOException("S3 " + what + " failed: " + e.getMessage(), e);
    }
  }

  /** True when an IOException from {@link #io} carries an S3 answer with {@code status}. */
  static boolean answered(IOException e, int status) {
    return e.getCause() instanceof S3Exception s3 && s3.statusCode() == status;
  }

  /** HeadObject; empty when there is no such key. */
  static Optional<HeadObjectResponse> head(S3Client s3, String bucket, String key) throws IOException {
    try {
      return Optional.of(io("head", () -> s3.headObject(r -> r.bucket(bucket).key(key))));
    } catch (IOException e) {
      if (answered(e, NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }

  /**
   * Every key under {@code prefix}, in the store's order, paging through ListObjectsV2: requests in
   * proportion to the keys, for whole-home or whole-folder work on helper threads only.
   */
  static List<S3Object> allKeys(S3Client s3, String bucket, String prefix) throws IOException {
    List<S3Object> all = new ArrayList<>();
    String token = null;
    do {
      String page = token;
      ListObjectsV2Response r = io("list", () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(page)));
      all.addAll(r.contents());
      token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
    } while (token != null);
    return all;
  }

  /**
   * Every unfinished multipart upload of a key under {@code prefix}, paging through ListMultipartUploads:
   * requests in proportion to the uploads, helper threads only.
   */
  static List<MultipartUpload> allUploads(S3Client s3, String bucket, String prefix) throws IOException {
    List<MultipartUpload> all = new ArrayList<>();
    String keyMarker = null;
    String idMarker = null;
    do {
      String k = keyMarker;
      String id = idMarker;
      ListMultipartUploadsResponse r = io("list multipart uploads",
          () -> s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix).keyMarker(k).uploadIdMarker(id)));
      all.addAll(r.uploads());
      boolean more = Boolean.TRUE.equals(r.isTruncated());
      keyMarker = more ? r.nextKeyMarker() : null;
      idMarker = more ? r.nextUploadIdMarker() : null;
    } while (keyMarker != null);
    return all;
  }

  /** GetObject of a small object into memory; empty when there is no such key. */
  static Optional<ResponseBytes<GetObjectResponse>> getBytes(S3Client s3, String bucket, String key) throws IOException {
    try {
      return Optional.of(io("get", () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key))));
    } catch (IOException e) {
      if (answered(e, NOT_FOUND)) return Optional.empty();
      throw e;
    }
  }
}
