package dev.selectftp.server.core;

import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.storage.OutOfSpace;
import dev.selectftp.server.storage.Storage;
import java.io.IOException;

/**
 * Where every call of a {@code HomeStore} or {@link Storage} that may block runs: a pool of its own, so a
 * slow store's metadata calls (each a network round trip on an object store) never queue behind hashing or
 * commits, nor these behind them; results come back on the loop. An I/O failure is classified on the helper
 * thread, where asking the store is allowed: if the store is low on space it arrives as {@link OutOfSpace},
 * and the doors report a full disk without calling {@link Storage#lowOnSpace} on the loop.
 */
public final class StoreCalls implements Offload {
  private final Offload pool;
  private final Storage storage;

  /** @param pool the store pool in the server, or {@link Offload#INLINE} off the loop */
  public StoreCalls(Offload pool, Storage storage) {
    this.pool = pool;
    this.storage = storage;
  }

  @Override
  public <T> void run(Background.Work<T> work, Background.Result<T> result) {
    pool.run(classified(work), result);
  }

  /** The store's homes, for the calls made through this pool. */
  public Storage storage() {
    return storage;
  }

  /**
   * {@code work} whose I/O failure is classified where it fails, for blocking work run on another pool
   * (an upload's commit): call on the helper thread only.
   */
  public <T> Background.Work<T> classified(Background.Work<T> work) {
    return () -> {
      try {
        return work.run();
      } catch (OutOfSpace e) {
        throw e;
      } catch (IOException e) {
        throw classify(e);
      }
    };
  }

  /** Classifies a failure seen on the loop (a failed write of an upload) off it; {@code done} gets the result. */
  public void classify(IOException failure, Background.Result<IOException> done) {
    pool.run(() -> classify(failure), done);
  }

  private IOException classify(IOException e) {
    return e instanceof OutOfSpace || !storage.lowOnSpace() ? e : new OutOfSpace(e);
  }
}
