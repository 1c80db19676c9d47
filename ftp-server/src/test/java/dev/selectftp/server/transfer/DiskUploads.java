package dev.selectftp.server.transfer;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * What the upload tests on real files share: {@link #USER}'s home in a {@link FileStore} of a temp folder,
 * disk quotas counted from that folder ({@link DiskQuotas}), one set of upload locks, and the few questions
 * the tests ask of them (where a file and its partial are, what the user's totals are).
 */
final class DiskUploads {
  static final String USER = "bob";
  /** More entries than any of these tests makes: only the bytes' limit is in play. */
  private static final long MAX_ENTRIES = 1000;

  private final FileStore store;
  private final Home home;
  private final Quotas quotas;
  private final UploadLocks locks = new UploadLocks();

  /** {@link #USER}'s uploads into {@code data}, under a quota of {@code limit} bytes (asked on every check). */
  DiskUploads(Path data, LongSupplier limit) throws IOException {
    store = new FileStore(data);
    home = store.home(USER);
    quotas = DiskQuotas.of(store, limit, MAX_ENTRIES);
  }

  FileStore store() {
    return store;
  }

  Home home() {
    return home;
  }

  Quotas quotas() {
    return quotas;
  }

  UploadLocks locks() {
    return locks;
  }

  /** Counts the home as it is now (as a login does), so the totals start from the disk. */
  void count() {
    quotas.apply(USER, Tally.ZERO);
    quotas.whenKnown(USER, "1", failure -> assertNull(failure));
  }

  /** Begins an upload of {@code size} bytes (or {@link Upload#UNKNOWN_SIZE}) to {@code /name}. */
  Upload begin(String name, long size) throws Exception {
    return Upload.begin(USER, home, quotas, locks, "/" + name, size);
  }

  /** Where {@code name} is on disk. */
  Path file(String name) {
    return home.root().resolve(name);
  }

  /** Where the partial of {@code name} is on disk. */
  Path partialOf(String name) {
    return home.partialFor(file(name));
  }

  /** The user's stored bytes as the quota counts them. */
  long stored() throws Refused {
    return quotas.usage(USER).stored();
  }

  /** The user's entries as the quota counts them. */
  long entries() throws Refused {
    return quotas.usage(USER).entries();
  }

  /** The user's bytes held for uploads in progress. */
  long reserved() throws Refused {
    return quotas.usage(USER).reserved();
  }
}
