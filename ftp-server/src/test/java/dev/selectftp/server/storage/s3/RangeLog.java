package dev.selectftp.server.storage.s3;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code Range} of every GetObject a client sends, as it goes on the wire, for tests that count what a
 * download fetched from a real store; {@link #client} makes a server-like client ({@link S3Clients}) that
 * reports to it.
 */
final class RangeLog implements ExecutionInterceptor {
  private final List<String> ranges = new ArrayList<>();

  /** A client of {@code endpoint} as the server builds one, its GETs logged here. */
  S3Client client(URI endpoint) {
    return S3Clients.open(endpoint, b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(this)));
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    if (context.httpRequest().method() != SdkHttpMethod.GET) return;
    context.httpRequest().firstMatchingHeader("Range").ifPresent(range -> {
      synchronized (this) {
        ranges.add(range);
      }
    });
  }

  /** Every range asked for, in order (a retried request twice). */
  synchronized List<String> all() {
    return List.copyOf(ranges);
  }

  /** The bytes all ranges cover together, counting overlaps again. */
  synchronized long bytesAsked() {
    long total = 0;
    for (String r : ranges) total += last(r) - first(r) + 1;
    return total;
  }

  /** The first byte of the lowest range asked for. */
  synchronized long lowestStart() {
    return ranges.stream().mapToLong(RangeLog::first).min().orElse(Long.MAX_VALUE);
  }

  private static long first(String range) {
    return Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
  }

  private static long last(String range) {
    return Long.parseLong(range.substring(range.indexOf('-') + 1));
  }
}
