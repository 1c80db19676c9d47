package dev.selectftp.server.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the one blocking {@link S3Client} a server shares between its helper threads (the client is
 * thread-safe and pools connections). Settings are the ones every S3-compatible store accepts: path-style
 * addressing ({@code http://host/bucket/key}, no per-bucket DNS names, which MinIO and Ceph RGW setups rarely
 * have), an optional endpoint override (the {@code --s3-endpoint} of a later server option), the region from
 * {@code AWS_REGION} or {@value #DEFAULT_REGION}, and credentials from the SDK's default chain
 * ({@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}, profiles, instance roles) unless given.
 */
public final class S3Clients {
  /** Region when {@code AWS_REGION} is not set; S3-compatible stores ignore it but SigV4 signs with it. */
  public static final String DEFAULT_REGION = "us-east-1";
  /** How long a TCP connect to the store may take before the call fails with an IOException. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** How long one read from the store's socket may stall (a part upload answers within this). */
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  private S3Clients() {}

  /** A client with credentials from the default chain; {@code endpoint} null means AWS itself. */
  public static S3Client open(URI endpoint) {
    return open(endpoint, DefaultCredentialsProvider.builder().build());
  }

  /** A client with the given credentials; {@code endpoint} null means AWS itself. */
  public static S3Client open(URI endpoint, AwsCredentialsProvider credentials) {
    return builder(endpoint, credentials).build();
  }

  /** A client with credentials from the default chain and {@code more} settings (a test's request log). */
  static S3Client open(URI endpoint, Consumer<S3ClientBuilder> more) {
    S3ClientBuilder builder = builder(endpoint, DefaultCredentialsProvider.builder().build());
    more.accept(builder);
    return builder.build();
  }

  private static S3ClientBuilder builder(URI endpoint, AwsCredentialsProvider credentials) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(SOCKET_TIMEOUT))
        .region(region())
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        // The SDK's default flexible checksums (aws-chunked trailers) are not understood by every
        // S3-compatible store; send them only where the API requires one. The SHA-256 of the whole file is
        // computed by ObjectUpload itself.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (endpoint != null) builder.endpointOverride(endpoint);
    return builder;
  }

  private static Region region() {
    String fromEnv = System.getenv("AWS_REGION");
    return Region.of(fromEnv == null || fromEnv.isBlank() ? DEFAULT_REGION : fromEnv.trim());
  }
}
