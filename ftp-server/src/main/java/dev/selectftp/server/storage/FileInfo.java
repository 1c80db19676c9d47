package dev.selectftp.server.storage;

import java.nio.file.Path;

/**
 * What the file system said about one path at one moment, read without following symlinks.
 *
 * @param real the real path on the server (never shown to users)
 * @param exists false when nothing is there; the other fields are then zero / null
 * @param dir true for a folder
 * @param size bytes of a regular file, 0 for folders
 * @param modifiedMillis last modification, milliseconds since the epoch
 * @param fileKey the file system's identity of the file (device + inode on Unix), or null if it has none;
 *     changes when an upload replaces the file by renaming a partial over it
 */
public record FileInfo(Path real, boolean exists, boolean dir, long size, long modifiedMillis, Object fileKey) {

  /** The answer for a path where nothing exists. */
  public static FileInfo missing(Path real) {
    return new FileInfo(real, false, false, 0, 0, null);
  }
}
