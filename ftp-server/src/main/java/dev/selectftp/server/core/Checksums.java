package dev.selectftp.server.core;

import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.loop.Background.Result;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.VirtualPath;
import dev.selectftp.server.transfer.Download;
import dev.selectftp.server.transfer.FileHashes;
import java.util.function.BiConsumer;

/**
 * A whole file's SHA-256 for every door (the SelectFTP door's {@code hash} request, the FTP door's HASH and
 * XSHA256). {@link #locate} is bounded and runs on the loop: it resolves the path, checks that it names a
 * file and looks the hash up in the shared cache (an upload's hash, or one computed for a download, valid
 * while the file's size, time and inode are unchanged). Only when that misses does the door call
 * {@link #compute}, which hashes on a helper thread ({@link FileHashes}: one job per file however many ask)
 * and remembers the result, with that connection's input paused meanwhile.
 */
public final class Checksums {
  private final HashCache cache;
  private final FileHashes fileHashes;

  private final Offload store;

  /** @param store where the stat runs: the server's store pool, or {@link Offload#INLINE} off the loop */
  public Checksums(HashCache cache, FileHashes fileHashes, Offload store) {
    this.cache = cache;
    this.fileHashes = fileHashes;
    this.store = store;
  }

  /**
   * A file to hash: its absolute virtual path, what the file system said about it, and its hash when the
   * cache knows it (else null).
   */
  public record Target(String virtualPath, FileInfo info, String knownSha256) {
    public long size() {
      return info.size();
    }
  }

  /**
   * Resolves {@code path} against {@code cwd} and checks that it names a file (a stat, on the store pool);
   * {@code done} gets the target on the loop, or BAD_PATH, NOT_FOUND, IS_A_DIRECTORY, or a refusal as
   * {@link HomeStore#stat} (FORBIDDEN for a link).
   */
  public void locate(HomeStore home, String cwd, String path, Result<Target> done) {
    store.run(() -> {
      String virtualPath = VirtualPath.resolve(cwd, path);
      FileInfo info = Download.statFile(home, virtualPath);
      return new Target(virtualPath, info, cache.get(info).orElse(null));
    }, done);
  }

  /**
   * Hashes the target off the loop and calls {@code done} on the loop thread with the hex SHA-256, or with
   * the failure; joins a computation of the same file already running.
   */
  public void compute(HomeStore home, Target target, BiConsumer<String, Exception> done) {
    fileHashes.hash(home, target.info(), done);
  }
}
