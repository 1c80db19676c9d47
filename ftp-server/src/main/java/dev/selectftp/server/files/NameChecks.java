package dev.selectftp.server.files;

import dev.selectftp.common.LogText;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One name inside a folder held by descriptor (the jail of a home), looked at without following links: the
 * name itself (exactly one plain name, never {@code ..}), what {@code fstatat(AT_SYMLINK_NOFOLLOW)} says it
 * is, and the refusals for what a home does not serve (a symlink, a special file, a name swapped while it was
 * being opened).
 */
final class NameChecks {
  private static final Logger log = LoggerFactory.getLogger(NameChecks.class);

  private NameChecks() {}

  /**
   * Maps the failure of an {@code openat} with {@code O_NOFOLLOW} of a name that the {@code fstatat} just
   * before saw as a fine folder or file. The Java runtime reports {@code ELOOP} (a symlink swapped in
   * meanwhile) and {@code EISDIR} (a folder swapped in) as a bare {@link FileSystemException}; looking again
   * cannot tell, since a fast swapper has often put the folder back by then, and matching the message text
   * is not an option. So a bare one means "changed while being opened" and is refused; its text, which would
   * also name the rare server-side cause (too many open files), goes to the log in one line. Opening a
   * file (not a folder) with {@code NOFOLLOW_LINKS} reports {@code ELOOP} as a bare {@link IOException}
   * instead ("... (NOFOLLOW_LINKS specified)"), so that class means the same.
   */
  static Refused swappedOrFailed(String v, String action, IOException e) {
    if (e.getClass() != FileSystemException.class && e.getClass() != IOException.class) {
      return IoErrors.map(e, action, v);
    }
    log.warn("{} changed while being opened, refused: {}", LogText.of(v), LogText.of(e.toString()));
    return new Refused(Refusal.FORBIDDEN, v + " changed while being opened (a symlink swapped in?)"
        + "; refused", e);
  }

  /** {@code fstatat(dir, name, AT_SYMLINK_NOFOLLOW)}; null when nothing has that name. */
  static BasicFileAttributes lstat(SecureDirectoryStream<Path> dir, Path name, String v) throws Refused {
    try {
      return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .readAttributes();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw IoErrors.map(e, "look up", v);
    }
  }

  /** FORBIDDEN for a symlink or a special file (FIFO, device, socket). */
  static void refuseLinkOrSpecial(BasicFileAttributes a, String v) throws Refused {
    if (a.isSymbolicLink()) throw link(v);
    if (a.isOther()) throw new Refused(Refusal.FORBIDDEN, v + " is a special file and is not served");
  }

  static FileInfo info(Path real, BasicFileAttributes a) {
    return new FileInfo(real, true, a.isDirectory(), a.isDirectory() ? 0 : a.size(),
        a.lastModifiedTime().toMillis(), a.fileKey());
  }

  static Refused link(String v) {
    return new Refused(Refusal.FORBIDDEN, v + " is a symlink; symlinks are not served");
  }

  /**
   * One name as a relative path for the SDS. Refuses anything that is not exactly one plain name: a {@code
   * ..} handed to {@code openat} would climb out of the folder the descriptor holds.
   */
  static Path nameOf(FileSystem fs, String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
        || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not one plain name");
    }
    return fs.getPath(name);
  }
}
