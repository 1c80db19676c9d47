package dev.selectftp.server.files;

import dev.selectftp.server.refusal.Refused;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One name inside a folder that is held open by descriptor: every operation on the name goes through
 * {@code dir} ({@code *at} system calls), so it acts on the folder that was checked, whatever has been
 * renamed or swapped for a link on the way from the root since. Closing closes the folder; safe twice.
 *
 * @param dir the open folder, reached from the home's root without following links
 * @param name one file name (never empty, {@code .}, {@code ..} or holding a {@code /}), as the SDS wants it
 * @param virtualPath the whole path as the user knows it, for messages
 */
record Located(SecureDirectoryStream<Path> dir, Path name, String virtualPath) implements AutoCloseable {
  @Override
  public void close() {
    Confinement.closeQuietly(dir);
  }

  /** {@code fstatat(dir, name, AT_SYMLINK_NOFOLLOW)}; null when nothing has that name. */
  BasicFileAttributes lstat() throws Refused {
    return NameChecks.lstat(dir, name, virtualPath);
  }

  /** Another name in the same folder (a partial next to its file). */
  Path sibling(String otherName) {
    return NameChecks.nameOf(name.getFileSystem(), otherName);
  }
}
