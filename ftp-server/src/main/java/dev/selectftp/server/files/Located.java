package dev.selectftp.server.files;

import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;

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

  /** Another name in the same folder (a partial next to its file). */
  Path sibling(String otherName) {
    return Confinement.nameOf(name.getFileSystem(), otherName);
  }
}
