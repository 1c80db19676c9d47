package dev.selectftp.server.session;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.LogText;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns I/O failures into replies without leaking server paths or stack traces. A client can cause these
 * (a full disk, a vanished file, a name the OS refuses) as often as it sends requests, so each is logged
 * in one line, the exception's type and text escaped (they may hold names the client chose); the stack
 * trace goes to debug only, for whoever investigates.
 */
final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);
  /** Below this much free space a failed write is reported as a full disk. */
  static final long LOW_SPACE_BYTES = 1024 * 1024;

  private Failures() {}

  static Response.Error toError(IOException e, Path dataDir, String address) {
    if (diskFull(dataDir)) {
      log.warn("{}: disk full: {}", address, LogText.of(e.toString()));
      return Response.Error.of(ErrorCode.DISK_FULL, "the server's disk is full");
    }
    log.warn("{}: I/O failure: {}", address, LogText.of(e.toString()));
    log.debug("{}: I/O failure, stack trace", address, e);
    return Response.Error.of(ErrorCode.INTERNAL, "server error; see the server log");
  }

  /** Asks the file system rather than parsing exception text, which differs by platform and locale. */
  static boolean diskFull(Path dataDir) {
    try {
      return Files.getFileStore(dataDir).getUsableSpace() < LOW_SPACE_BYTES;
    } catch (IOException e) {
      return false;
    }
  }
}
