package dev.selectftp.server.files;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.common.LogText;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps file system exceptions to error codes by type, never by message text. The exceptions' own messages
 * hold real server paths, so they go to the server log only; the user gets the virtual path.
 */
final class IoErrors {
  private static final Logger log = LoggerFactory.getLogger(IoErrors.class);

  private IoErrors() {}

  /**
   * @param virtualPath the path as the user knows it, used in the message
   * @param action what was being done, for the log and the message ("delete", "list", ...)
   */
  static Refused map(IOException e, String action, String virtualPath) {
    if (e instanceof NoSuchFileException) {
      return new Refused(Refusal.NOT_FOUND, virtualPath + ": no such file or folder", e);
    }
    if (e instanceof FileAlreadyExistsException) {
      return new Refused(Refusal.EXISTS, virtualPath + " already exists", e);
    }
    if (e instanceof DirectoryNotEmptyException) {
      return new Refused(Refusal.NOT_EMPTY, virtualPath + " is not empty", e);
    }
    if (e instanceof NotDirectoryException) {
      return new Refused(Refusal.NOT_A_DIRECTORY, virtualPath + " is not a folder", e);
    }
    if (e instanceof AccessDeniedException) {
      log.warn("permission denied by the OS during {} of {}", action, LogText.of(virtualPath), e);
      return new Refused(Refusal.FORBIDDEN, virtualPath + ": permission denied on the server", e);
    }
    log.error("unexpected I/O failure during {} of {}", action, LogText.of(virtualPath), e);
    return new Refused(Refusal.INTERNAL, "could not " + action + " " + virtualPath, e);
  }
}
