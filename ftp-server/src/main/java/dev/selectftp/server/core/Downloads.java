package dev.selectftp.server.core;

import dev.selectftp.server.loop.Background.Result;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.storage.VirtualPath;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.transfer.Download;
import dev.selectftp.server.transfer.FileHashes;
import java.io.IOException;

/**
 * The download rules for every door: open a file, start at an offset (off the loop: a SelectFTP resume
 * checks the client's prefix hash, {@link Download#resumeFrom}; FTP's REST has none, {@link Download#startAt};
 * either way the whole file's hash is known at the end), and whether the whole-file hash is worth computing before the first
 * byte so that the bytes can go out zero-copy ({@link #hashFirst}).
 */
public final class Downloads {
  private final HashCache hashes;
  private final Offload store;

  /** @param store where store calls run: the server's store pool, or {@link Offload#INLINE} off the loop */
  public Downloads(HashCache hashes, Offload store) {
    this.hashes = hashes;
    this.store = store;
  }

  /** For callers off the loop (tests, tools): the store calls run at once on the caller's thread. */
  public Downloads(HashCache hashes) {
    this(hashes, Offload.INLINE);
  }

  /**
   * Opens {@code path} for sending as {@link #open(HomeStore, String, String)} does, its stat and open on the
   * store pool; {@code done} gets the download (which the caller must close, also when its session ended
   * meanwhile) or the refusal on the loop.
   */
  public void open(HomeStore home, String cwd, String path, Result<Download> done) {
    store.run(() -> open(home, cwd, path), done);
  }

  /**
   * Blocking (a stat and an open in the store): opens {@code path} for sending; the whole-file hash is known
   * at once when it was computed before.
   *
   * @throws Refused NOT_FOUND, IS_A_DIRECTORY, FORBIDDEN, BAD_PATH
   */
  public Download open(HomeStore home, String cwd, String path) throws Refused, IOException {
    return Download.open(home, VirtualPath.resolve(cwd, path), hashes);
  }

  /**
   * True when a download from the start should wait for the whole file's hash ({@link FileHashes}, off the
   * loop): the hash is unknown and the file small enough that the wait is short, after which every
   * download of it is zero-copy. Larger files are hashed while they are sent.
   */
  public boolean hashFirst(Download download, long offset) {
    return offset == 0 && download.knownSha256() == null && download.size() <= FileHashes.HASH_FIRST_MAX_BYTES;
  }
}
