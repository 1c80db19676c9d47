package dev.selectftp.server.storage;

/**
 * A write channel whose bytes reach the store after the write returns (a partial on S3: full parts wait in
 * the node's spool and helper threads send them), so a writer faster than the store can get ahead of it. A
 * channel that is not one (the local disk) never is behind. The upload asks after each slice and stops
 * reading its sender while the answer is true, so neither the spool nor the commit's wait grows with the file.
 */
public interface Backlog {
  /**
   * Loop: true when the store is behind this channel's writes (the store's bound of parts queued or in
   * flight); {@code drained} then runs exactly once, on a helper thread, as soon as it is no longer (a part
   * was stored, or sending failed). False registers nothing; a later call replaces a {@code drained} still
   * waiting.
   */
  boolean congested(Runnable drained);
}
