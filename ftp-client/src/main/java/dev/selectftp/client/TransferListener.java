package dev.selectftp.client;

/**
 * Hears how an upload or download advances. Called on the transferring thread, once per chunk, so
 * implementations must be cheap (throttle any drawing themselves).
 */
public interface TransferListener {
  /** A listener that ignores everything. */
  TransferListener NONE = new TransferListener() {
    @Override
    public void started(String name, long total, long resumedFrom) {}

    @Override
    public void progress(long done) {}

    @Override
    public void finished() {}
  };

  /**
   * The bytes are about to move.
   *
   * @param name the file's name (last path segment)
   * @param total the whole file's size in bytes
   * @param resumedFrom bytes already in place on the receiving side, 0 for a fresh transfer
   */
  void started(String name, long total, long resumedFrom);

  /** {@code done} bytes of the file are in place, counting the resumed prefix; never decreases. */
  void progress(long done);

  /** The transfer was verified and is complete. Not called when it fails. */
  void finished();
}
