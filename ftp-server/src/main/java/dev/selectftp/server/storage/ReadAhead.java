package dev.selectftp.server.storage;

import java.io.IOException;
import java.util.Optional;

/**
 * A read channel whose bytes arrive after it was opened (a file on S3: ranged GETs fill node-local spool
 * windows on helper threads), so a reader faster than the store can get ahead of it. A channel that is not
 * one (the local disk) never is behind. A download on the loop asks before each slice and stops sending
 * while the answer is 0, as an upload stops reading on a {@link Backlog}: the loop never waits on the store.
 */
public interface ReadAhead {
  /**
   * Loop: how many bytes from {@code position} (before the end of the file) can be read now without waiting;
   * asking also says where the reader is, so the store fetches from there and drops what lies behind. On 0,
   * {@code ready} (unless null) runs exactly once, on a helper thread, as soon as some are readable or the
   * fetch failed (the next call then throws); a later call replaces a {@code ready} still waiting.
   *
   * @throws IOException the fetch failed: the store is down, or the file changed while being read
   */
  long readable(long position, Runnable ready) throws IOException;

  /**
   * The version this channel reads, comparable with {@code FileInfo.fileKey()} of a stat of the same file: a
   * file replaced between a stat and the open shows here as a different version.
   */
  Object version();

  /**
   * The whole file's SHA-256 (lowercase hex) as the store keeps it with exactly the version this channel
   * reads, when it has one, so a download can go out zero-copy without hashing first.
   */
  Optional<String> storedSha256();
}
