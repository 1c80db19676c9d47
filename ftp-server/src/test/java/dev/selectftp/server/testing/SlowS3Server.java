package dev.selectftp.server.testing;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.storage.s3.ObjectStorageTests;
import dev.selectftp.server.storage.s3.S3Location;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The server of a slow-store test: homes on a {@link ThrowawayS3} under a key prefix of the test's own, reached
 * only through a {@link ThrottledRelay}, so the client on loopback is far faster than the store: the uploads'
 * back-pressure ({@link HeldBackUpload}, the bytes towards the store paced) or the downloads' read-ahead (the
 * store's answers paced, {@link ThrottledRelay#answers}). Closing it stops the server, then the relay.
 */
public final class SlowS3Server implements AutoCloseable {
  private final ThrottledRelay relay;
  private final FtpServer server;

  private SlowS3Server(ThrottledRelay relay, FtpServer server) {
    this.relay = relay;
    this.server = server;
  }

  /**
   * Starts a relay pacing the bytes towards {@code store} to {@link HeldBackUpload#STORE_RATE}, then the server
   * behind it (see {@link #behind}).
   */
  public static SlowS3Server start(ThrowawayS3 store, Path dir, String prefix, UnaryOperator<ServerConfig> doors)
      throws IOException {
    return behind(ThrottledRelay.start(store.endpoint(), HeldBackUpload.STORE_RATE), dir, prefix, doors);
  }

  /**
   * Starts a test server in {@code dir} (its spool there too) with {@code doors} applied to its config (the FTP
   * door, say), its homes under {@code prefix} in {@link ThrowawayS3#BUCKET}, reached through {@code relay},
   * which it owns from now on (closed with it, or at once if the server does not start).
   */
  public static SlowS3Server behind(ThrottledRelay relay, Path dir, String prefix, UnaryOperator<ServerConfig> doors)
      throws IOException {
    ObjectStorageTests.useStoreCredentials();
    try {
      S3Location homes = S3Location.parse("s3://" + ThrowawayS3.BUCKET + "/" + prefix, relay.endpoint());
      return new SlowS3Server(relay, FtpServer.start(doors.apply(ServerConfig.forTests(dir)).withStorage(homes)));
    } catch (IOException | RuntimeException e) {
      relay.close();
      throw e;
    }
  }

  public FtpServer server() {
    return server;
  }

  /** The slow link: closing it makes the store unreachable for the server from then on. */
  public ThrottledRelay relay() {
    return relay;
  }

  @Override
  public void close() throws IOException {
    try (relay) {
      server.close();
    }
  }
}
