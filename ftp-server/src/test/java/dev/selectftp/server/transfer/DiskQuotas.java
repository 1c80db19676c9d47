package dev.selectftp.server.transfer;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.quota.Quotas;
import java.io.IOException;
import java.util.function.LongSupplier;

/** Test quotas whose counts walk a real {@link FileStore} at once, on the caller's thread, as a login's would. */
public final class DiskQuotas {
  private DiskQuotas() {}

  /** Quotas of {@code limit} bytes (asked on every check) and {@code maxEntries} entries per user. */
  public static Quotas of(FileStore store, LongSupplier limit, long maxEntries) {
    return new Quotas(user -> limit.getAsLong(), maxEntries, (user, done) -> {
      try {
        done.accept(store.tally(user), null);
      } catch (IOException e) {
        done.accept(null, e);
      }
    });
  }
}
