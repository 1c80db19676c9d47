package dev.selectftp.server.transfer;

import dev.selectftp.common.LogText;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.loop.Background;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-file hashes computed on a helper thread, one job per file however many downloads ask at once,
 * so that a popular file is hashed once and then sent zero-copy to everybody. Loop-thread confined.
 */
public final class FileHashes {
  private static final Logger log = LoggerFactory.getLogger(FileHashes.class);
  /**
   * Files up to this size are hashed before sending when their hash is unknown: the first byte waits
   * about a millisecond per MiB, and every later download of the file skips hashing. Larger files are
   * hashed while they are sent, so their first byte never waits.
   */
  public static final long HASH_FIRST_MAX_BYTES = 8L * 1024 * 1024;

  private final HashCache cache;
  private final Background background;
  private final Map<FileInfo, List<BiConsumer<String, Exception>>> inFlight = new HashMap<>();

  public FileHashes(HashCache cache, Background background) {
    this.cache = cache;
    this.background = background;
  }

  /** Calls {@code done} on the loop thread with the file's hex SHA-256, or with the failure. */
  public void hash(HomeStore home, FileInfo info, BiConsumer<String, Exception> done) {
    List<BiConsumer<String, Exception>> waiting = inFlight.get(info);
    if (waiting != null) {
      waiting.add(done);
      return;
    }
    waiting = new ArrayList<>();
    waiting.add(done);
    inFlight.put(info, waiting);
    // One line per computation (not per asker): how tests and operators see that joining works.
    log.debug("hashing {} bytes of {}", info.size(), LogText.of(String.valueOf(info.real().getFileName())));
    background.run(() -> {
      MessageDigest digest = Sha256.newDigest();
      try (FileChannel file = home.openRead(info.real())) {
        Sha256.update(digest, file, info.size());
      }
      return Sha256.hex(digest);
    }, (sha256, failure) -> {
      if (failure == null) cache.put(info, sha256);
      for (BiConsumer<String, Exception> each : inFlight.remove(info)) each.accept(sha256, failure);
    });
  }
}
