package dev.selectftp.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything the server may send. Each carries a numeric {@code status} (2xx done, 4xx the client's fault,
 * 5xx the server's) and a human {@code message}; failures are always {@link Error} with a stable code.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Response.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = Response.StartTls.class, name = "start-tls"),
    @JsonSubTypes.Type(value = Response.AuthChallenge.class, name = "auth-challenge"),
    @JsonSubTypes.Type(value = Response.AuthOk.class, name = "auth-ok"),
    @JsonSubTypes.Type(value = Response.Ok.class, name = "ok"),
    @JsonSubTypes.Type(value = Response.Error.class, name = "error"),
    @JsonSubTypes.Type(value = Response.Listing.class, name = "listing"),
    @JsonSubTypes.Type(value = Response.Cwd.class, name = "cwd"),
    @JsonSubTypes.Type(value = Response.QuotaInfo.class, name = "quota-info"),
    @JsonSubTypes.Type(value = Response.Hash.class, name = "hash"),
    @JsonSubTypes.Type(value = Response.PutReady.class, name = "put-ready"),
    @JsonSubTypes.Type(value = Response.PutDone.class, name = "put-done"),
    @JsonSubTypes.Type(value = Response.GetReady.class, name = "get-ready"),
    @JsonSubTypes.Type(value = Response.GetDone.class, name = "get-done"),
    @JsonSubTypes.Type(value = Response.ServerStats.class, name = "stats"),
    @JsonSubTypes.Type(value = Response.Bye.class, name = "bye"),
})
public sealed interface Response {
  int OK = 200;
  int CREATED = 201;

  int status();

  String message();

  /**
   * Sent once on connect. {@code iterations} is the PBKDF2 count the server asks new accounts to use;
   * {@code tls} is {@code off}, {@code optional} or {@code required} (see {@link TlsOffer}).
   */
  record Hello(int status, String message, String server, int iterations, String tls) implements Response {}

  /**
   * Answer to {@link Request.StartTls}: the TLS handshake starts with the next byte the client sends. The
   * server discards anything it received after the request; the client discards anything after this reply.
   */
  record StartTls(int status, String message) implements Response {}

  /** SCRAM server-first-message. */
  record AuthChallenge(int status, String message, String scram) implements Response {}

  /** SCRAM server-final-message ({@code v=...}); the client must check it before trusting the server. */
  record AuthOk(int status, String message, String scram, String user) implements Response {}

  record Ok(int status, String message) implements Response {}

  record Error(
      @JsonProperty(required = true) int status,
      @JsonProperty(required = true) String code,
      String message) implements Response {
    public static Error of(ErrorCode code, String message) {
      return new Error(code.status(), code.code(), message);
    }

    public ErrorCode errorCode() {
      return ErrorCode.fromCode(code);
    }
  }

  /** One line of a listing; {@code modified} is ISO-8601 UTC. */
  record Entry(String name, boolean dir, long size, String modified) {}

  /**
   * One page of a folder's listing, in name order (Unicode code point order, which is the byte order of
   * the names' UTF-8). {@code next} is null when the listing is complete; otherwise it is the cursor to send
   * as {@link Request.List#after} for the following page. A page holds at most {@link #MAX_PAGE_ENTRIES}
   * entries, maybe fewer (even none) while {@code next} is set: only a null {@code next} ends a listing.
   */
  record Listing(
      int status,
      String message,
      String path,
      @JsonProperty(required = true) java.util.List<Entry> entries,
      // Always on the wire, as null on the last page, so "complete" is said rather than implied by absence.
      @JsonInclude(JsonInclude.Include.ALWAYS) String next) implements Response {
    /**
     * Most entries in one page. Fewer come when they would not fit one frame: 500 fit when the names
     * average up to about 25 UTF-8 bytes, names of 200 bytes give pages of about 200.
     */
    public static final int MAX_PAGE_ENTRIES = 500;

    public Listing {
      entries = java.util.List.copyOf(entries);
    }
  }

  /** The current folder, where {@code /} is the user's home. */
  record Cwd(int status, String message, String path) implements Response {}

  /** Bytes stored (files, partials and reservations) and the user's limit. */
  record QuotaInfo(int status, String message, long used, long limit) implements Response {}

  /** Answer to {@link Request.Hash}: the file's absolute path, its size and the SHA-256 of all its bytes. */
  record Hash(int status, String message, String path, long size, String sha256) implements Response {}

  /**
   * Answer to {@link Request.Put}: quota reserved. {@code offset} bytes are already on the server; when
   * non-zero, {@code prefixSha256} is their SHA-256 so the client can check them before resuming.
   */
  record PutReady(int status, String message, long offset, String prefixSha256) implements Response {}

  /** The upload was verified, fsynced and renamed into place. */
  record PutDone(int status, String message, String path, long size, String sha256)
      implements Response {}

  /**
   * Header of a download: {@code size} is the whole file, {@code size - offset} raw bytes follow this
   * frame, then a {@link GetDone} frame. {@code offset} is 0 when the server could not confirm the
   * client's prefix. {@code sha256} is present when the server already knows the whole file's hash.
   */
  record GetReady(int status, String message, long size, long offset, String sha256)
      implements Response {}

  /** Sent after the raw bytes of a download: the SHA-256 of the whole file. */
  record GetDone(int status, String message, String sha256) implements Response {}

  /** The server's own figures, in microseconds where times. */
  record ServerStats(
      int status,
      String message,
      int connections,
      long loopPasses,
      long maxPassMicros,
      long p99PassMicros,
      long heapUsedBytes) implements Response {}

  record Bye(int status, String message) implements Response {}
}
