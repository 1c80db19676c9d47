package dev.selectftp.server.files;

import dev.selectftp.server.storage.VirtualPath;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Optional;

/**
 * One folder of a home held open by descriptor, for listing it: reached from the root without following
 * links (see {@link Home#openFolder}), so its names and their attributes are the ones of the folder that
 * was checked, even if a local process swaps it for a link afterwards.
 *
 * <p>Not thread-safe: one thread at a time (any thread; it does blocking I/O, as much as the caller asks).
 * Holds two file descriptors until closed; close is safe twice.
 */
public final class Folder implements AutoCloseable {
  private final SecureDirectoryStream<Path> dir;
  private final FileSystem fs;
  private final String virtualPath;
  private boolean iterated;

  Folder(SecureDirectoryStream<Path> dir, FileSystem fs, String virtualPath) {
    this.dir = dir;
    this.fs = fs;
    this.virtualPath = virtualPath;
  }

  /** The folder's normalized virtual path, for example {@code /docs}. */
  public String virtualPath() {
    return virtualPath;
  }

  /**
   * The names in the folder, in the order the file system gives them ({@code readdir}; no {@code .} and
   * {@code ..}), partials and names a user could not type included: filter with {@link Home#isPartial} and
   * {@link VirtualPath}. Each {@code next()} reads at most one directory buffer. Callable once per Folder.
   *
   * @throws IllegalStateException on a second call
   */
  public Iterator<String> names() {
    if (iterated) throw new IllegalStateException("a folder's names can be iterated once");
    iterated = true;
    Iterator<Path> entries = dir.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public String next() {
        return entries.next().getFileName().toString();
      }
    };
  }

  /**
   * The attributes of one entry, read with {@code fstatat(folder, name, AT_SYMLINK_NOFOLLOW)}: a symlink is
   * reported as a link ({@link BasicFileAttributes#isSymbolicLink}), never followed; skip links and
   * special files ({@link BasicFileAttributes#isOther}).
   *
   * @param name one name as {@link #names} gave it
   * @return empty when nothing has that name (any more)
   * @throws IllegalArgumentException for anything but one plain name ({@code ..}, a {@code /}, empty)
   * @throws IOException when the file system fails
   */
  public Optional<BasicFileAttributes> attributes(String name) throws IOException {
    Path p = NameChecks.nameOf(fs, name);
    try {
      return Optional.of(dir.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .readAttributes());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    Confinement.closeQuietly(dir);
  }
}
